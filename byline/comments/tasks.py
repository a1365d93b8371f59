"""The comments' mail, as tasks the server enqueues after commit (a worker in
production), never sent because a browser asked for a send.

Who gets which mail, and when, is in `notifications.py`; these are only the
entry points django-tasks names in its queue (`byline.comments.tasks.<name>`),
kept here so that tasks queued before a deploy still find their function.
"""

from django_tasks import task

from byline.comments import notifications


@task()
def send_confirmation(subscription_id):
    notifications.send_confirmation(subscription_id)


@task()
def notify_subscribers(comment_id):
    notifications.notify_subscribers(comment_id)


@task()
def alert_moderators(comment_id=None):
    """Tell moderators of held comments (`comment_id`, the one that was held,
    is not needed: every comment waiting is told of)."""
    again = notifications.alert_moderators()
    if again is not None and alert_moderators.get_backend().supports_defer:
        alert_moderators.using(run_after=again).enqueue()


@task()
def send_address_check(comment_id):
    notifications.send_address_check(comment_id)


@task()
def send_own_comments_link(email):
    notifications.send_own_comments_link(email)
