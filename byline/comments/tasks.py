"""Mail is sent by tasks the server enqueues (a worker in production), never
because a browser asked for a send."""

from django_tasks import task

from byline.comments import mail, notify


@task()
def send_confirmation(subscription_id):
    notify.send_confirmation(subscription_id)


@task()
def notify_subscribers(comment_id):
    notify.notify_subscribers(comment_id)


@task()
def alert_moderators(comment_id):
    notify.alert_moderators(comment_id)


@task()
def send_own_comments_link(email):
    from byline.comments.models import Comment

    # Only addresses that have commented get mail; the page says the same either way.
    if Comment.objects.filter(email__iexact=email).exists():
        mail.send_own_comments_link(email)
