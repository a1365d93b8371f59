"""Each change is invalidated once: one purge per cached address, counted at a
real HTTP server standing in for the proxy (the `proxy` fixture)."""

from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from byline.comments.models import Comment
from byline.comments.signals import comments_changed
from byline.pagecache import invalidation


def _purged(page, proxy):
    """Whether the proxy was asked to drop the page (it logs host and path)."""
    parts = urlsplit(page.full_url)
    return f"{parts.netloc}{parts.path}" in proxy


def _twice(purged):
    return {url: n for url, n in Counter(purged).items() if n > 1}


@pytest.fixture
def announced():
    """Every `comments_changed` sent, as the page cache hears them."""
    heard = []

    def listen(sender, article_ids, **kwargs):
        heard.append(list(article_ids))

    comments_changed.connect(listen)
    yield heard
    comments_changed.disconnect(listen)


@pytest.fixture
def held_comment(published_article):
    def make(text="Is this sourced?"):
        comment = Comment.objects.create(
            article=published_article,
            depth=1,
            name="Cleo",
            email="cleo@example.org",
            text=text,
            status=Comment.Status.PENDING,
        )
        Comment.objects.filter(pk=comment.pk).update(root=comment)
        comment.refresh_from_db()
        return comment

    return make


def test_a_publish_purges_each_address_once(proxy, published_article, publish):
    """A publish recounts comments and invalidates the article: one purge each
    (the recount announced the change again, and every page went twice)."""
    publish(published_article, title="Purged once", tags=["China"])
    assert _purged(published_article, proxy)
    assert _twice(proxy) == {}


def test_a_publish_does_not_announce_a_comment_change(
    announced, published_article, publish
):
    """The pipeline's recount is its own step, not a second invalidation."""
    publish(published_article, title="No comment change")
    assert announced == []


def test_a_republish_still_purges_the_tags_it_left(proxy, published_article, publish):
    """Where the article was listed before the publish is purged with the rest,
    once, without state handed from pre_save in a thread-local."""
    publish(published_article, tags=["China"])
    assert any(url.endswith(reverse("tag", args=["russia"])) for url in proxy)
    assert _twice(proxy) == {}


def test_approving_a_comment_invalidates_once(
    admin_client, announced, proxy, held_comment, django_capture_on_commit_callbacks
):
    """A moderator's approval from the queue: one change announced, one purge each."""
    comment = held_comment()
    url = reverse("wagtailsnippets_comments_comment:moderate", args=[comment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "approve"})
    assert announced == [[comment.article_id]]
    assert _purged(comment.article, proxy)
    assert _twice(proxy) == {}


def test_a_staff_reply_to_a_held_comment_invalidates_once(
    admin_client, announced, proxy, held_comment, django_capture_on_commit_callbacks
):
    """Approve-and-reply is one change: the approval and the reply were two
    recounts, two announcements and every page purged twice."""
    parent = held_comment()
    url = reverse("wagtailsnippets_comments_comment:reply", args=[parent.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"text": "It is: see the report."})
    assert response.status_code == 302
    assert announced == [[parent.article_id]]
    assert _twice(proxy) == {}


def test_changes_in_one_transaction_are_applied_together(
    proxy, published_article, django_capture_on_commit_callbacks
):
    """Two invalidations of one article in one transaction purge it once."""
    with django_capture_on_commit_callbacks(execute=True):
        invalidation.articles([published_article.pk])
        invalidation.comments([published_article.pk])
    assert _purged(published_article, proxy)
    assert _twice(proxy) == {}


def test_purged_addresses_follow_the_routes_they_name(settings):
    """Purge addresses come from reverse(): a route moved elsewhere is purged
    where it now is, not where a string literal said it was."""
    settings.ROOT_URLCONF = "byline.pagecache.tests.moved_routes"
    assert reverse("tag", args=["russia"]) == "/topics/russia/"
    assert "/topics/russia/" in invalidation.tag_paths("russia")
    assert "/topics/russia/feed/" in invalidation.tag_paths("russia")
