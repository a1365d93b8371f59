"""Newsletter mail goes out through django-tasks, never while a request waits."""

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from byline.newsletter import digests, signup
from byline.newsletter.models import DigestDelivery


@task()
def send_confirmation(subscriber_id, frequency=None, section_ids=None):
    signup.send_confirmation(subscriber_id, frequency, section_ids)


@task()
def deliver_digest(digest_id, subscriber_id):
    return digests.deliver(digest_id, subscriber_id)


def queue_digest(digest):
    """Queue one delivery task per reader still owed this digest; return a
    Counter of what the tasks did (or "queued" where a worker runs them later).

    Readers already sent it get no task, so the scheduler can run this every
    minute; nor do readers whose task still waits for a worker or runs, so a
    slow worker does not find each mail queued once per run. A task that
    failed or was lost is queued again.
    """
    sent = DigestDelivery.objects.filter(digest=digest, sent__isnull=False)
    owed = digests.recipients(digest.frequency).exclude(
        pk__in=sent.values("subscriber_id")
    )
    waiting = _waiting(digest)
    outcomes = Counter()
    for subscriber_id in owed.values_list("pk", flat=True):
        if subscriber_id in waiting:
            outcomes["already waiting"] += 1
            continue
        # The delivery row and the task commit together: no task is queued
        # that the next run cannot see.
        with transaction.atomic():
            delivery, _ = DigestDelivery.objects.get_or_create(
                digest=digest, subscriber_id=subscriber_id
            )
            result = deliver_digest.enqueue(digest.pk, subscriber_id)
            DigestDelivery.objects.filter(pk=delivery.pk).update(
                task_id=str(result.id)[:64], queued=timezone.now()
            )
        outcomes[_outcome(result)] += 1
    return outcomes


def _waiting(digest):
    """Return the ids of readers whose delivery task waits or runs."""
    backend = deliver_digest.get_backend()
    if not backend.supports_get_result:
        return set()  # the immediate backend has run every task it was given
    waiting = set()
    unsent = DigestDelivery.objects.filter(digest=digest, sent=None).exclude(task_id="")
    for subscriber_id, task_id in unsent.values_list("subscriber_id", "task_id"):
        try:
            status = backend.get_result(task_id).status
        except TaskResultDoesNotExist:
            continue  # the queue lost it: queue it again
        if status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
            waiting.add(subscriber_id)
    return waiting


def _outcome(result):
    """What a delivery did, where the task backend ran it already."""
    if result.status == TaskResultStatus.SUCCESSFUL:
        return result.return_value
    return "queued" if result.status == TaskResultStatus.READY else "failed"
