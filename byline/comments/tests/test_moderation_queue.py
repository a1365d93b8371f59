"""Editors moderate in Wagtail's admin: the queue lists, filters and acts in bulk."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from byline.comments.models import Comment
from byline.news import newsroom


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("eddie", password="pw-eddie-123")
    user.groups.add(Group.objects.get(name=newsroom.EDITORS))
    return user


def test_editor_sees_held_comments_with_the_rule_that_held_them(
    client, editor, approved_comment
):
    approved_comment(
        "Buy now at my casino", status="pending", moderation_note="suspect word: casino"
    )
    client.force_login(editor)
    response = client.get("/admin/snippets/comments/comment/", {"status": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy now at my casino" in html
    assert "suspect word: casino" in html


def test_bulk_approve_publishes_and_counts(client, editor, approved_comment):
    held = [approved_comment(f"Held {i}", status="pending") for i in range(3)]
    article = held[0].article
    client.force_login(editor)
    url = "/admin/bulk/comments/comment/approve/?" + "&".join(
        f"id={c.pk}" for c in held
    )
    assert client.get(url).status_code == 200  # the confirmation page
    response = client.post(url)
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    article.refresh_from_db()
    assert article.comment_count == 3


def test_bulk_spam_and_reject(client, editor, approved_comment):
    a, b = approved_comment("A"), approved_comment("B")
    client.force_login(editor)
    client.post(f"/admin/bulk/comments/comment/spam/?id={a.pk}")
    client.post(f"/admin/bulk/comments/comment/reject/?id={b.pk}")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("spam", "rejected")


def test_reporters_cannot_moderate(client, approved_comment, db):
    reporter = get_user_model().objects.create_user("rita", password="pw-rita-123")
    reporter.groups.add(Group.objects.get(name=newsroom.REPORTERS))
    comment = approved_comment(status="pending")
    client.force_login(reporter)
    client.post(f"/admin/bulk/comments/comment/approve/?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reported_approved_comments_show_in_the_queue(client, editor, approved_comment):
    from byline.comments.models import Report

    calm = approved_comment("Calm words.")
    flagged = approved_comment("Flagged words.")
    Report.objects.create(comment=flagged, reason="abuse")
    client.force_login(editor)
    html = client.get(
        "/admin/snippets/comments/comment/", {"reported": "true"}
    ).content.decode()
    assert "Flagged words." in html and "Calm words." not in html
    assert calm
    client.post(f"/admin/bulk/comments/comment/approve/?id={flagged.pk}")
    assert not Report.objects.filter(resolved=False).exists()
