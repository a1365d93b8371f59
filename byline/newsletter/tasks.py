"""Newsletter mail goes out through django-tasks, never while a request waits."""

from django_tasks import task

from byline.newsletter import digests, signup


@task()
def send_confirmation(subscriber_id):
    signup.send_confirmation(subscriber_id)


@task()
def deliver_digest(digest_id, subscriber_id):
    return digests.deliver(digest_id, subscriber_id)
