"""L8: no comment endpoint answers for comments of articles readers cannot see.

The review voted on and reported comments of private and unpublished articles,
and was redirected to their URLs. Every comment endpoint must answer 404 for
an article that is a draft, unpublished, login-only or password-protected, as
the article itself does, and never name it.
"""

import time

import pytest
from django.core import mail, signing
from django.test import Client
from wagtail.models import PageViewRestriction

from byline.comments import cookies, tokens
from byline.comments.models import Comment, Report, Subscription, Vote
from byline.comments.tests.conftest import served_token


def _hide(article, how):
    if how == "unpublished":
        article.unpublish()
    else:
        PageViewRestriction.objects.create(
            page=article,
            restriction_type=how,
            password="open sesame" if how == PageViewRestriction.PASSWORD else "",
        )


@pytest.fixture(
    params=["draft", "unpublished", PageViewRestriction.LOGIN, "password"],
)
def hidden(request, make_article, comment_settings):
    """An article readers cannot see, with an approved comment made while it was."""
    comment_settings.close_after_days = 0
    comment_settings.save()
    article = make_article(
        f"Hidden headline {request.param}", publish=request.param != "draft"
    )
    comment = Comment.objects.create(
        article=article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="Words on a hidden article.",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.filter(pk=comment.pk).update(root=comment)
    if request.param != "draft":
        _hide(article, request.param)
    return article, comment


@pytest.fixture
def comment_settings(home):
    from wagtail.models import Site

    from byline.comments.models import CommentSettings

    return CommentSettings.for_site(Site.objects.get(is_default_site=True))


def _with_edit_grant(comment):
    """A browser holding the author's ten-minute right to edit the comment."""
    browser = Client()
    browser.cookies[cookies.EDIT_COOKIE] = signing.dumps(
        {str(comment.pk): time.time()}, salt=cookies.EDIT_COOKIE
    )
    return browser


def _requests(article, comment):
    confirm = Subscription.objects.create(
        email="f@example.org", kind="article", article=article
    )
    token = tokens.make("confirm", confirm.pk)
    post = {"name": "Eve", "email": "eve@example.org", "ts": served_token()}
    return [
        ("post", f"/comments/article/{article.pk}/post/", {**post, "text": "Hi."}),
        (
            "post",
            f"/comments/article/{article.pk}/post/",
            {**post, "text": "A reply.", "parent": comment.pk},
        ),
        ("post", f"/comments/{comment.pk}/vote/", {"value": "up"}),
        ("get", f"/comments/{comment.pk}/vote/", {"value": "up"}),
        ("post", f"/comments/{comment.pk}/report/", {"reason": "spam"}),
        ("get", f"/comments/{comment.pk}/edit/", {}),
        ("post", f"/comments/{comment.pk}/edit/", {"text": "Swapped."}),
        ("post", f"/comments/{comment.pk}/delete/", {}),
        ("post", f"/comments/article/{article.pk}/subscribe/", {"email": "x@y.org"}),
        ("get", f"/comments/article/{article.pk}/", {}),
        ("get", f"/comments/article/{article.pk}/", {"fragment": "1", "page": "1"}),
        ("get", f"/comments/subscriptions/confirm/{token}/", {}),
        ("post", f"/comments/subscriptions/confirm/{token}/", {}),
    ]


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_comment_endpoints_refuse_comments_of_hidden_articles(hidden, accept):
    """Vote, report, reply, edit, delete, subscribe, pages: 404, no redirect or name."""
    article, comment = hidden
    requests = _requests(article, comment)
    # The endpoints scripts post to answer JSON clients in JSON.
    json_answers = {url for method, url, _ in requests if method == "post"} - {
        f"/comments/{comment.pk}/edit/",
        f"/comments/{comment.pk}/delete/",
        requests[-1][1],  # the confirmation link's page, opened from a mail
    }
    for method, url, data in requests:
        browser = _with_edit_grant(comment)
        response = getattr(browser, method)(url, data, HTTP_ACCEPT=accept)
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Location" not in response, url
        body = response.content.decode()
        assert article.title not in body and article.slug not in body, url
        if accept == "application/json" and url in json_answers:
            assert response.json()["reason"], url
    comment.refresh_from_db()
    assert (comment.status, comment.text, comment.score) == (
        Comment.Status.APPROVED,
        "Words on a hidden article.",
        0,
    )
    assert not Vote.objects.exists() and not Report.objects.exists()
    assert not Comment.objects.exclude(pk=comment.pk).exists()
    assert not Subscription.objects.filter(confirmed__isnull=False).exists()
    assert not Subscription.objects.filter(email="x@y.org").exists()


def test_subscribers_hear_nothing_of_comments_on_an_article_made_private(
    published_article, django_capture_on_commit_callbacks
):
    """A comment approved after its article went private is mailed to no one."""
    Subscription.objects.create(
        email="follower@example.org",
        kind="article",
        article=published_article,
        confirmed=published_article.first_published_at,
    )
    PageViewRestriction.objects.create(
        page=published_article, restriction_type=PageViewRestriction.LOGIN
    )
    held = Comment.objects.create(
        article=published_article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="Said behind closed doors.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        held.status = Comment.Status.APPROVED
        held.save()
    assert mail.outbox == []
