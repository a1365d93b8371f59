"""send_digests queues each reader's digest once, however often it runs
before a worker takes the queue; a failed delivery is queued again."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from byline.newsletter.models import DigestDelivery, Subscriber

TUESDAY = "2024-05-07T06:00:00+00:00"


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Tasks wait in the database for a worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; inside a test's
    # transaction that would be the test's own connection (PostgreSQL).
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    yield
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture
def readers(make_article, database_tasks):
    make_article("Harbour on Monday", published_at=datetime(2024, 5, 6, 9, tzinfo=UTC))
    return [
        Subscriber.objects.create(
            email=f"reader{n}@example.org", confirmed=timezone.now()
        )
        for n in range(3)
    ]


def send_digests():
    call_command("send_digests", now=TUESDAY, verbosity=0)


def digest_tasks(**filters):
    """Return the digest delivery tasks in the queue table."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path__endswith=".deliver_digest", **filters)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_two_runs_before_the_worker_queue_each_digest_once(readers):
    """A second run while the tasks wait queues nothing more, and each reader
    gets one mail."""
    send_digests()
    send_digests()
    assert digest_tasks().count() == len(readers)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in readers)
    send_digests()
    assert digest_tasks().count() == len(readers)


def test_a_failed_delivery_is_queued_again(readers):
    """Only a waiting or running task counts as waiting: a failed one is retried."""
    from django_tasks import TaskResultStatus

    send_digests()
    digest_tasks().update(status=TaskResultStatus.FAILED)
    send_digests()
    assert digest_tasks(status=TaskResultStatus.READY).count() == len(readers)
    run_worker()
    assert len(mail.outbox) == len(readers)
    assert not DigestDelivery.objects.filter(sent=None).exists()
