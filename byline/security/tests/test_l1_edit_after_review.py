"""L1: approved words cannot be swapped for others after a moderator read them.

The review had a held comment approved, then changed its text within the
ten-minute edit window: the new text stayed approved. An edit of a comment a
moderator judged by hand now sends it back to the queue, and rejected or spam
comments cannot be edited (or deleted) by their author at all.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from byline.comments.models import Comment, CommentSettings, Moderation
from byline.comments.tests.conftest import served_token
from byline.news import newsroom


@pytest.fixture
def comment_settings(home):
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    settings.close_after_days = 0
    settings.save()
    return settings


@pytest.fixture
def editor(comment_settings):
    user = get_user_model().objects.create_user(
        "eddie", email="eddie@example.org", password="pw-eddie-123"
    )
    user.groups.add(Group.objects.get(name=newsroom.EDITORS))
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def guest(published_article, comment_settings):
    """A guest's browser and the comment it just posted (held, as a first one)."""
    browser = Client()
    browser.post(
        f"/comments/article/{published_article.pk}/post/",
        {
            "name": "Gus",
            "email": "gus@example.org",
            "text": "Measured words for the moderator.",
            "ts": served_token(),
        },
    )
    return browser, Comment.objects.get()


def _bulk(editor, action, comment):
    editor.post(f"/admin/bulk/comments/comment/{action}/?id={comment.pk}")


def _admin_edit(editor, comment, status):
    url = reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk])
    response = editor.post(url, {"status": status})
    assert response.status_code == 302, response.content.decode()[:2000]


def _swap(browser, comment):
    return browser.post(f"/comments/{comment.pk}/edit/", {"text": "Buy pills here."})


@pytest.mark.parametrize("how", ["bulk", "form"])
def test_an_edit_after_approval_by_hand_goes_back_to_the_queue(
    guest, editor, how, django_capture_on_commit_callbacks
):
    """Swapped text after approval is held again and moderators are told."""
    browser, comment = guest
    if how == "bulk":
        _bulk(editor, "approve", comment)
    else:
        _admin_edit(editor, comment, "approved")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    page = Client().get(comment.article.url).content.decode()
    assert "Measured words" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert _swap(browser, comment).status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.text) == ("pending", "Buy pills here.")
    assert comment.moderation_note == "edited after a moderator approved it"
    assert "Buy pills" not in Client().get(comment.article.url).content.decode()
    assert any("eddie@example.org" in m.to for m in mail.outbox)


@pytest.mark.parametrize("verdict", ["reject", "spam"])
def test_rejected_and_spam_comments_cannot_be_edited_or_deleted(guest, editor, verdict):
    """A judged comment stays as judged: no edit puts it back in the queue."""
    browser, comment = guest
    _bulk(editor, verdict, comment)
    comment.refresh_from_db()
    judged = comment.status
    assert browser.get(f"/comments/{comment.pk}/edit/").status_code == 404
    assert _swap(browser, comment).status_code == 404
    assert browser.post(f"/comments/{comment.pk}/delete/").status_code == 404
    comment.refresh_from_db()
    assert (comment.status, comment.text) == (
        judged,
        "Measured words for the moderator.",
    )


def test_a_comment_the_rules_published_stays_published_when_edited(
    published_article, comment_settings
):
    """Only a moderator's judgement is tied to the words: the rules decide again."""
    comment_settings.moderation = Moderation.NONE
    comment_settings.save()
    browser = Client()
    browser.post(
        f"/comments/article/{published_article.pk}/post/",
        {"name": "Gus", "email": "g@e.org", "text": "Typo hre.", "ts": served_token()},
    )
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    browser.post(f"/comments/{comment.pk}/edit/", {"text": "Typo here."})
    comment.refresh_from_db()
    assert (comment.status, comment.text) == ("approved", "Typo here.")
