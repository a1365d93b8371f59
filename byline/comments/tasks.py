"""Mail is sent by tasks the server enqueues (a worker in production), never
because a browser asked for a send."""

from django_tasks import task

from byline.comments import mail, notify
from byline.comments.models import Comment
from byline.core import ratelimit


@task()
def send_confirmation(subscription_id):
    notify.send_confirmation(subscription_id)


@task()
def notify_subscribers(comment_id):
    notify.notify_subscribers(comment_id)


@task()
def alert_moderators(comment_id=None):
    """Tell moderators of held comments (`comment_id`, the one that was held,
    is not needed: every comment waiting is told of)."""
    again = notify.alert_moderators()
    if again is not None and alert_moderators.get_backend().supports_defer:
        alert_moderators.using(run_after=again).enqueue()


@task()
def send_address_check(comment_id):
    notify.send_address_check(comment_id)


@task()
def send_own_comments_link(email):
    # Only addresses that have commented get mail, and only so often (anyone
    # can type an address); the page says the same either way.
    if Comment.objects.filter(email__iexact=email).exists() and ratelimit.allow_mail_to(
        email
    ):
        mail.send_own_comments_link(email)
