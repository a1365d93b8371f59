"""'Notify of': double opt-in, one mail per subscriber and comment, one-click exit."""

import re

import pytest
from django.core import mail
from django_tasks.base import Task

from byline.comments import moderation, notifications, tasks
from byline.comments.models import Comment, Delivery, Subscription


def link(message, path_part):
    return re.search(rf"http://\S+/comments/{path_part}/\S+?/", message.body).group(0)


def local(url):
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_every_mail_task_is_one_notifications_lists():
    """Who is mailed has one answer: each queued mail task runs the function of
    the same name in notifications.py, whose docstring describes it."""
    queued = [name for name, value in vars(tasks).items() if isinstance(value, Task)]
    assert len(queued) == 5
    for name in queued:
        assert callable(getattr(notifications, name)), name
        assert f"(`{name}`)" in notifications.__doc__, name


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_subscribing_sends_only_a_confirmation_until_confirmed(
    client, published_article, approved_comment, run_on_commit
):
    with run_on_commit():
        client.post(
            f"/comments/article/{published_article.pk}/subscribe/",
            {"email": "Follower@Example.org"},
        )
    assert len(mail.outbox) == 1
    assert "Confirm" in mail.outbox[0].subject
    subscription = Subscription.objects.get()
    assert subscription.email == "follower@example.org" and not subscription.confirmed

    with run_on_commit():
        approved_comment("Before confirming.")
    assert len(mail.outbox) == 1  # nothing before confirmation

    confirm_url = local(link(mail.outbox[0], "subscriptions/confirm"))
    assert client.get(confirm_url).status_code == 200  # a page, not a silent GET
    client.post(confirm_url)
    subscription.refresh_from_db()
    assert subscription.confirmed

    with run_on_commit():
        approved_comment("After confirming.")
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert "After confirming." in notice.body
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert notice.extra_headers["List-Unsubscribe"].startswith("<http")
    assert notice.alternatives[0][1] == "text/html"


def test_confirmations_expire_and_forged_links_fail(client, published_article):
    from django.core import signing

    subscription = Subscription.objects.create(
        email="a@example.org", kind="article", article=published_article
    )
    forged = "/comments/subscriptions/confirm/not-a-token/"
    assert client.get(forged).status_code == 404
    token = signing.dumps(subscription.pk, salt="byline.comments.confirm")
    assert client.get(f"/comments/subscriptions/confirm/{token}/").status_code == 200
    # Re-sign with a timestamp four days old.
    import time
    from unittest import mock

    with mock.patch("time.time", return_value=time.time() - 4 * 86400):
        stale = signing.dumps(subscription.pk, salt="byline.comments.confirm")
    assert client.get(f"/comments/subscriptions/confirm/{stale}/").status_code == 404


def test_reply_notification_goes_to_the_parent_author_not_the_replier(
    client, post, published_article, approved_comment, run_on_commit
):
    parent = approved_comment("Parent words.", email="parent@example.org")
    sub = Subscription.objects.create(
        email="parent@example.org",
        kind="replies",
        article=published_article,
        comment=parent,
    )
    notifications.confirm(sub)
    with run_on_commit():
        approved_comment("A reply.", parent=parent, email="replier@example.org")
        approved_comment("Self reply.", parent=parent, email="parent@example.org")
    assert [m.to for m in mail.outbox] == [["parent@example.org"]]
    assert "A reply." in mail.outbox[0].body


def test_a_retried_send_mails_nobody_twice(published_article, approved_comment):
    sub = Subscription.objects.create(
        email="f@example.org", kind="article", article=published_article
    )
    notifications.confirm(sub)
    comment = approved_comment()
    mail.outbox.clear()
    assert notifications.notify_subscribers(comment.pk) == 1
    assert notifications.notify_subscribers(comment.pk) == 0  # the worker retried
    assert len(mail.outbox) == 1
    assert Delivery.objects.get().sent


def test_pending_comments_notify_no_subscriber_until_approved(
    published_article, approved_comment, run_on_commit
):
    sub = Subscription.objects.create(
        email="f@example.org", kind="article", article=published_article
    )
    notifications.confirm(sub)
    with run_on_commit():
        held = approved_comment("Held.", status=Comment.Status.PENDING)
    assert not [m for m in mail.outbox if "f@example.org" in m.to]
    with run_on_commit():
        moderation.approve([held])
    assert [m.to for m in mail.outbox if "f@example.org" in m.to] == [["f@example.org"]]


def test_one_click_unsubscribe_by_post_and_the_manage_page(
    client, published_article, approved_comment, run_on_commit
):
    sub = Subscription.objects.create(
        email="f@example.org", kind="article", article=published_article
    )
    notifications.confirm(sub)
    with run_on_commit():
        approved_comment("First.")
    unsubscribe = local(mail.outbox[-1].extra_headers["List-Unsubscribe"][1:-1])
    from django.test import Client

    # What a mail client does: a cookieless POST with no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        unsubscribe, {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.ended
    count = len(mail.outbox)
    with run_on_commit():
        approved_comment("Second.")
    assert len(mail.outbox) == count

    manage = local(
        re.search(r"All your notifications: (\S+)", mail.outbox[-1].body).group(1)
    )
    other = Subscription.objects.create(
        email="f@example.org", kind="article", article=published_article
    )
    notifications.confirm(other)
    page = client.get(manage)
    assert page.status_code == 200 and published_article.title in page.content.decode()
    client.post(manage, {"subscription": other.pk})
    other.refresh_from_db()
    assert other.ended


def test_moderators_are_told_about_held_comments(
    post, published_article, run_on_commit, comment_settings
):
    comment_settings.moderator_emails = "desk@example.org"
    comment_settings.save()
    with run_on_commit():
        post(published_article, "Please review me.")
    alerts = [m for m in mail.outbox if m.to == ["desk@example.org"]]
    assert len(alerts) == 1
    assert "Please review me." in alerts[0].body


def test_commenter_lists_exports_and_deletes_their_comments(
    client, published_article, approved_comment, run_on_commit
):
    approved_comment("Mine one.", email="me@example.org")
    approved_comment("Mine two.", email="me@example.org")
    approved_comment("Not mine.", email="you@example.org")
    with run_on_commit():
        client.post("/comments/mine/", {"email": "me@example.org"})
        client.post("/comments/mine/", {"email": "nobody@example.org"})
    assert [m.to for m in mail.outbox] == [["me@example.org"]]
    mine = local(link(mail.outbox[0], "mine"))
    page = client.get(mine).content.decode()
    assert "Mine one." in page and "Not mine." not in page
    export = client.get(mine, {"format": "json"}).json()
    assert sorted(c["text"] for c in export["comments"]) == ["Mine one.", "Mine two."]
    client.post(mine)
    assert not Comment.objects.filter(email="me@example.org").exists()
    assert Comment.objects.filter(status="deleted").count() == 2
    published_article.refresh_from_db()
    assert published_article.comment_count == 1


def test_comment_form_can_subscribe_to_replies(
    client, post, published_article, run_on_commit
):
    with run_on_commit():
        post(published_article, "Tell me about replies.", notify="replies")
    sub = Subscription.objects.get()
    assert sub.kind == "replies" and sub.comment.text == "Tell me about replies."
    assert "Confirm" in mail.outbox[-1].subject


def test_a_comment_committed_by_a_process_killed_at_once_is_still_mailed(
    settings, client, post, published_article
):
    """With the database task queue, the mail task is written in the comment's
    own transaction: a node SIGKILLed after the commit, before its on-commit
    callbacks (which never run here), still leaves the task for the worker."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert post(published_article, "Mailed however the node ends.").status_code == 302
    comment = Comment.objects.get(text="Mailed however the node ends.")
    if comment.status != Comment.Status.APPROVED:
        moderation.approve([comment])
    queued = DBTaskResult.objects.filter(task_path=tasks.notify_subscribers.module_path)
    assert [row.args_kwargs["args"] for row in queued] == [[comment.pk]]
