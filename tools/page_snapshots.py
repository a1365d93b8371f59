"""Render every reader page into a folder, to compare two versions of the markup.

Written for the move of the reader pages to one template engine (issue 20): run
it before a change and after it, then compare the two folders with
`tools/compare_snapshots.py`. It is a pytest module so that it gets the test
database and the shared fixtures (conftest.py); the folder comes from
SNAPSHOT_DIR:

    SNAPSHOT_DIR=/tmp/before .venv/bin/python -m pytest -p no:cacheprovider \
        tools/page_snapshots.py
"""

import os
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

UNEXPECTED = []


def _save(folder, name, response, expected=200):
    # Kept whatever its status, so one run shows every page; checked at the end.
    if response.status_code != expected:
        UNEXPECTED.append((name, response.status_code))
    (folder / f"{name}.html").write_bytes(response.content)


@pytest.fixture
def folder():
    where = os.environ.get("SNAPSHOT_DIR")
    if not where:
        pytest.skip("SNAPSHOT_DIR names the folder to write the pages to")
    path = Path(where)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.mark.django_db
def test_render_every_reader_page(folder, settings, make_article, author, home):
    """Render each reader page (status as expected) into SNAPSHOT_DIR."""
    from django.utils import timezone
    from wagtail.models import Site

    from byline.comments import tokens
    from byline.comments.models import Comment, Subscription
    from byline.comments.tests.conftest import served_token
    from byline.core.models import StandardPage
    from byline.newsletter import signup
    from byline.newsletter.models import NewsletterSettings
    from byline.provenance import alerts

    settings.PAGE_CACHE = False
    for name in ("RATE_LIMIT_POSTS", "RATE_LIMIT_SEARCH", "RATE_LIMIT_SUGGEST"):
        setattr(settings, name, (10**6, 60))
    settings.COMMENTS_IP_LIMIT = settings.COMMENTS_EMAIL_LIMIT = (10**6, 60)
    site = Site.objects.get(is_default_site=True)
    newsletter = NewsletterSettings.for_site(site)
    newsletter.enabled = True
    newsletter.save()

    article = make_article(
        "Putin and Xi meet in Beijing",
        tags=["Russia", "China"],
        dateline="BEIJING",
        standfirst="A state visit with a message.",
        published_at=timezone.now(),
    )
    make_article("Markets fall in Tokyo", tags=["Japan"])
    # A correction: two signed versions, a note in the log.
    article.body = "<p>The talks were on 16 and 17 May.</p>"
    article.correction_notes = [
        article.correction_notes.model(kind="correction", note="The date was wrong.")
    ]
    article.save_revision().publish()
    article.refresh_from_db()
    about = StandardPage(
        title="About us",
        slug="about",
        intro="Who we are.",
        body="<p>We report.</p>",
        show_newsletter_signup=True,
    )
    home.add_child(instance=about)
    about.save_revision().publish()

    comment = Comment.objects.create(
        article=article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="Approved words.",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=article,
        parent=comment,
        depth=2,
        name="Cleo",
        email="cleo@example.org",
        text="A reply.",
        status=Comment.Status.APPROVED,
    )
    from byline.comments.moderation import recount

    recount([article.pk])
    subscription = Subscription.objects.create(
        email="ben@example.org", article=article, kind=Subscription.Kind.ARTICLE
    )
    subscriber, _ = signup.subscribe("ben@example.org", "daily", [])
    alert, _ = alerts.subscribe("ben@example.org", article)
    article.refresh_from_db()

    reader = Client()
    pages = {
        "home": "/",
        "section": article.get_parent().url,
        "article": article.url,
        "tag": reverse("tag", args=["russia"]),
        "author": reverse("author", args=[author.slug]),
        "standard_page": about.url,
        "search_empty_query": "/search/",
        "search_results": "/search/?q=Putin",
        "search_no_results": "/search/?q=zzzqqqxx",
        "provenance_page": article.url + "provenance/",
        "corrections_log": "/corrections/log/",
        "newsletter_signup": "/newsletter/",
        "newsletter_confirm": reverse(
            "newsletter_confirm", args=[signup.make_token("confirm", subscriber.pk)]
        ),
        "comments_all": reverse("comments:all", args=[article.pk]),
        "comments_mine_request": reverse("comments:mine_request"),
        "comments_mine": reverse(
            "comments:mine", args=[tokens.make("mine", "ben@example.org")]
        ),
        "comments_subscriptions": reverse(
            "comments:subscriptions", args=[tokens.make("manage", "ben@example.org")]
        ),
        "comments_subscription_confirm": reverse(
            "comments:confirm", args=[tokens.make("confirm", subscription.pk)]
        ),
        "comments_unsubscribe": reverse(
            "comments:unsubscribe", args=[tokens.make("unsubscribe", subscription.pk)]
        ),
        "comments_address_check": reverse(
            "comments:address",
            args=[tokens.make("address", [comment.pk, "ben@example.org"])],
        ),
        "comments_vote_confirm": reverse("comments:vote", args=[comment.pk])
        + "?value=up",
        "alert_form": reverse("correction_alert", args=[article.pk]),
        "alert_confirm": reverse(
            "correction_alert_confirm", args=[alerts.make_token("confirm", alert.pk)]
        ),
    }
    for name, url in pages.items():
        _save(folder, name, reader.get(url))
    _save(folder, "not_found", reader.get("/no/such/page/"), 404)

    # Pages that answer a post.
    _save(
        folder,
        "newsletter_signup_invalid",
        reader.post("/newsletter/", {"email": "nope", "frequency": "daily"}),
        400,
    )
    _save(
        folder,
        "newsletter_check_inbox",
        reader.post("/newsletter/", {"email": "dee@example.org", "frequency": "daily"}),
    )
    _save(folder, "newsletter_done", reader.post(pages["newsletter_confirm"]))
    unsubscribe = reverse(
        "newsletter_unsubscribe", args=[signup.make_token("end", subscriber.pk)]
    )
    _save(folder, "newsletter_unsubscribe", reader.get(unsubscribe))
    _save(folder, "newsletter_unsubscribed", reader.post(unsubscribe))
    _save(
        folder,
        "alert_form_invalid",
        reader.post(pages["alert_form"], {"email": "nope"}),
        400,
    )
    _save(folder, "alert_done", reader.post(pages["alert_confirm"]))
    unsubscribe = reverse(
        "correction_alert_unsubscribe",
        args=[alerts.make_token("end", alert.pk)],
    )
    _save(folder, "alert_unsubscribe", reader.get(unsubscribe))
    _save(folder, "alert_ended", reader.post(unsubscribe))
    # A comment of this browser's own: its edit page.
    commenter = Client()
    response = commenter.post(
        reverse("comments:post", args=[article.pk]),
        {
            "name": "Ana",
            "email": "ana@example.org",
            "text": "My own words",
            "ts": served_token(),
            "website": "",
        },
    )
    assert response.status_code in (302, 303), response.status_code
    own = Comment.objects.get(text="My own words")
    _save(
        folder, "comments_edit", commenter.get(reverse("comments:edit", args=[own.pk]))
    )
    _save(
        folder,
        "comments_edit_invalid",
        commenter.post(reverse("comments:edit", args=[own.pk]), {"text": ""}),
        400,
    )
    _save(
        folder,
        "comments_mine_request_invalid",
        reader.post(reverse("comments:mine_request"), {"email": "nope"}),
        400,
    )

    # Security pages: a forged post offered back, too many searches, locked out.
    forged = Client(enforce_csrf_checks=True).post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Eve", "email": "eve@example.org", "text": "Sent from elsewhere"},
    )
    _save(folder, "csrf_confirm_post", forged, 403)
    settings.RATE_LIMIT_SEARCH = (1, 60)
    limited = Client()
    limited.get("/search/?q=one")
    _save(folder, "rate_limited", limited.get("/search/?q=two"), 429)
    settings.RATE_LIMIT_POSTS = (1, 60)
    limited.post("/newsletter/", {"email": "fay@example.org", "frequency": "daily"})
    _save(
        folder,
        "rate_limited_post",
        limited.post(
            "/newsletter/", {"email": "gus@example.org", "frequency": "daily"}
        ),
        429,
    )
    locked = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = locked.post(
            "/admin/login/", {"username": "nobody", "password": "wrong"}
        )
    _save(folder, "locked_out", response, 429)

    # Error pages: a bug (500), and the database refusing a write (503).
    broken = Client(raise_request_exception=False)
    from byline.core.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        from django.test import RequestFactory

        _save(folder, "server_error", server_error(RequestFactory().get("/")), 500)
    if connection.vendor == "sqlite":
        settings.RATE_LIMIT_POSTS = (10**6, 60)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = ON")
        try:
            with transaction.atomic():
                response = broken.post(
                    reverse("comments:post", args=[article.pk]),
                    {
                        "name": "Ana",
                        "email": "ana@example.org",
                        "text": "Words I would hate to lose",
                        "ts": served_token(),
                        "website": "",
                    },
                )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")
        _save(folder, "database_unavailable", response, 503)
    assert UNEXPECTED == []
