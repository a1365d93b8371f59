"""Production runs tasks in a worker (django-tasks-db's `db_worker`), not in the
request: queued work waits in the database and is done once by the worker."""

import pytest
from django.core import mail
from django.core.management import call_command


@pytest.fixture
def database_tasks(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; inside a test's
    # transaction that would be the test's own connection (PostgreSQL). The
    # worker as a separate process is tested in test_worker_fault.py.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    yield
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def test_a_sign_up_mail_waits_for_the_worker_and_is_sent_once(
    client, home, database_tasks
):
    from django_tasks_db.models import DBTaskResult

    response = client.post(
        "/newsletter/", {"email": "reader@example.org", "frequency": "daily"}
    )
    assert response.status_code == 200
    assert mail.outbox == []  # the request did not send it
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert len(mail.outbox) == 1


def test_a_waiting_queue_keeps_nodes_ready_and_is_reported_to_monitoring(
    client, home, database_tasks
):
    """A task waiting on a slow or dead worker does not take the web node out
    of the load balancer (every node would go at once); /healthz/queue says it."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    client.post("/newsletter/", {"email": "reader@example.org", "frequency": "daily"})
    queue = client.get("/healthz/queue")
    assert queue.status_code == 200 and queue.json()["waiting"] == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/readyz").status_code == 200
    queue = client.get("/healthz/queue")
    assert queue.status_code == 503
    assert queue.json()["status"] == "lagging"
    assert queue.json()["oldest_wait_seconds"] >= 600
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    queue = client.get("/healthz/queue")
    assert queue.status_code == 200 and queue.json()["waiting"] == 0
