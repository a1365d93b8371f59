"""Task workers that can be killed: tasks a dead worker left half done run again.

django-tasks-db marks a task RUNNING when a worker claims it and never looks at
it again; a worker killed mid-task (deploy, OOM, power) would leave it so for
ever. `run_worker` names each worker `<host>-<pid>`, and before it starts it
puts back to READY every RUNNING task whose worker on this host is no longer
alive (and, with `older_than`, any task running longer than that, for hosts
that are gone). Our tasks are written to be run again: each mail has a delivery
row, and a run sends only those not yet marked sent.
"""

import os
import socket
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult


def worker_id(pid=None):
    return f"{socket.gethostname()}-{pid or os.getpid()}"[:64]


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _dead_here(worker):
    host, _, pid = worker.rpartition("-")
    if host != socket.gethostname()[: len(host)] or not (
        pid.isascii() and pid.isdigit()
    ):
        return False
    return not _alive(int(pid))


def recover(older_than=None):
    """Put back tasks that dead workers were running; return how many."""
    recovered = 0
    cutoff = timezone.now() - older_than if older_than else None
    for result in DBTaskResult.objects.running():
        last = result.worker_ids[-1] if result.worker_ids else ""
        stale = cutoff is not None and result.started_at and result.started_at < cutoff
        if _dead_here(last) or stale:
            recovered += (
                DBTaskResult.objects.running()
                .filter(pk=result.pk)
                .update(status="READY", started_at=None)
            )
    return recovered


def minutes(value):
    return timedelta(minutes=value) if value else None
