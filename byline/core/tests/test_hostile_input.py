"""Random and hostile input to every public form and endpoint: never a 500.

Every route's path and query parameters, taken from the URLconf, are fuzzed in
byline/security/tests/test_l11_hostile_parameters.py; here the forms' posts.
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00%ff",
        "\ud7ff\ue000\U0010ffff",
        "é" * 3000,
        "x" * 70_000,
        "{{ settings.SECRET_KEY }}",
        "javascript:alert(1)",
        "-1",
        "99999999999999999999999",
        "1e309",
        "NaN",
        "daily",
        "replies",
        "article",
        "up",
        "ana@example.org",
        "not-an-email@",
        "@@",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=300))
FIELDS = [
    "name",
    "email",
    "text",
    "parent",
    "quote",
    "quote_prefix",
    "quote_suffix",
    "notify",
    "ts",
    "website",
    "value",
    "reason",
    "frequency",
    "sections",
    "q",
    "page",
    "sort",
]
FORM = st.dictionaries(st.sampled_from(FIELDS), TEXT, max_size=8)
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def site(settings, published_article):
    from byline.comments.models import Comment

    settings.RATE_LIMIT_POSTS = (10**6, 60)
    settings.RATE_LIMIT_SEARCH = (10**6, 60)
    settings.RATE_LIMIT_SUGGEST = (10**6, 60)
    settings.COMMENTS_IP_LIMIT = (10**6, 60)
    settings.COMMENTS_EMAIL_LIMIT = (10**6, 60)
    comment = Comment.objects.create(
        article=published_article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="Approved words.",
        status=Comment.Status.APPROVED,
    )
    return published_article, comment


def _posts(article, comment):
    return [
        f"/comments/article/{article.pk}/post/",
        f"/comments/article/{article.pk}/subscribe/",
        f"/comments/{comment.pk}/vote/",
        f"/comments/{comment.pk}/report/",
        f"/comments/{comment.pk}/edit/",
        f"/comments/{comment.pk}/delete/",
        "/comments/mine/",
        "/newsletter/",
        f"/provenance/alerts/{article.pk}/",
        "/comments/subscriptions/unsubscribe/garbage/",
        "/newsletter/unsubscribe/garbage/",
    ]


def _gets(article):
    return [
        "/search/",
        "/search/suggest/",
        "/api/v2/articles/",
        "/",
        article.url,
        article.get_parent().url,
        "/tags/russia/",
        "/authors/ada-reporter/",
        f"/comments/article/{article.pk}/",
        "/provenance/log.json",
        "/corrections/log/",
    ]


@SETTINGS
@given(data=st.data())
def test_hostile_posts_to_every_public_form_get_an_answer_not_a_crash(site, data):
    article, comment = site
    browser = Client(raise_request_exception=True)
    for url in _posts(article, comment):
        form = data.draw(FORM)
        accept = data.draw(st.sampled_from(["text/html", "application/json"]))
        response = browser.post(
            url, form, HTTP_ACCEPT=accept, HTTP_SEC_FETCH_SITE="same-origin"
        )
        assert response.status_code < 500, (url, form, response.status_code)


def test_hostile_paths_are_not_found_not_crashes(site):
    browser = Client(raise_request_exception=True)
    for path in [
        "/%00/",
        "/..%2f..%2fetc/passwd",
        "/world/%3Cscript%3E/",
        "/tags/%E2%80%AE/",
        "/authors/" + "a" * 5000 + "/",
        "/world/putin-and-xi-meet-in-beijing/provenance.json/../",
        "/comments/subscriptions/confirm/" + "A" * 4000 + "/",
        "/newsletter/confirm/..%2F/",
    ]:
        assert browser.get(path).status_code < 500, path


def test_nul_bytes_in_any_parameter_or_field_are_refused_cleanly(site):
    # PostgreSQL refuses NUL in text with an error, so every one must be caught
    # before a query: hypothesis found one in the API's slug filters.
    article, comment = site
    browser = Client(raise_request_exception=True)
    params = ["q", "page", "sort", "section", "tag", "author", "limit", "offset"]
    params += ["order", "fields", "type", "date_from", "date_to", "format"]
    for url in _gets(article):
        for name in params:
            assert browser.get(url, {name: "a\x00b"}).status_code < 500, (url, name)
    for url in _posts(article, comment):
        for name in FIELDS:
            form = {"name": "Ana", "email": "ana@example.org", "text": "Words"}
            response = browser.post(
                url, {**form, name: "a\x00b"}, HTTP_SEC_FETCH_SITE="same-origin"
            )
            assert response.status_code < 500, (url, name)
