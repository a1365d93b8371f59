"""Liveness, readiness and queue lag, for load balancers and for monitoring.

- `/healthz` answers while the process runs, touching nothing.
- `/readyz` says whether this process can serve: the database answers, the
  cache stores and returns a value, the task backend is configured, and what
  the apps register (`register_check`: provenance adds its signing key). Any
  failure is 503. It also says what the node uses (`uses`: the kinds of
  database, cache, task backend and media storage, and whether each read
  replica has caught up), for the operator of a cluster; that changes
  nothing. A load balancer takes a node out on it, so it checks only what
  this node needs: a queue that waits on a slow or dead worker is not a
  reason to stop serving pages (with a queue check here, one large digest took
  every node out of the balancer at once).
- `/healthz/queue` is for monitoring: how many tasks wait and how long the
  oldest has waited; 503 when that is longer than TASK_WAIT_LIMIT.

The public sees "ok" or "failed" only; the reason (which may name hosts, ports
or users) goes to the log. Answers are JSON and never cached. A middleware
placed first answers them, so that they do not depend on what they check (the
site lookup and sessions need the cache and the database).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import default_task_backend, task_backends
from django_tasks_db.models import DBTaskResult

from byline.core import replicas

logger = logging.getLogger(__name__)

# Longest a queued task may wait before the queue counts as not served.
TASK_WAIT_LIMIT = 5 * 60


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        if request.path == "/readyz":
            return readyz(request)
        if request.path == "/healthz/queue":
            return queue(request)
        return self.get_response(request)


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key, value = "byline:readyz", str(time.time())
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


def _tasks():
    # The backend's own checks catch a misconfigured queue. How long tasks
    # wait is the queue endpoint's business, not readiness.
    errors = list(default_task_backend.check())
    if errors:
        raise RuntimeError("; ".join(str(e.msg) for e in errors))


CHECKS = {"database": _database, "cache": _cache, "tasks": _tasks}


def register_check(name, check):
    """Add a readiness check: a function that raises when this process cannot
    serve. Apps register their own (the ground floor imports none of them)."""
    CHECKS[name] = check


def _run(name, check):
    try:
        check()
    except Exception:  # any failure means "not ready"; the reason is logged
        logger.exception("readiness check %r failed", name)
        return "failed"
    return "ok"


def uses():
    """What this node depends on, by kind (never a host or a name): which
    database, cache, task backend and media storage, and how each read replica
    is doing. Informative: none of it changes readiness."""
    found = {
        "database": connection.vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "tasks": type(task_backends["default"]).__name__,
        "media": settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1],
    }
    if replica_status := replicas.status():
        found["replicas"] = replica_status
    return found


@never_cache
def readyz(request):
    results = {name: _run(name, check) for name, check in CHECKS.items()}
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "not ready",
            "checks": results,
            "uses": uses(),
        },
        status=200 if ready else 503,
    )


def waiting_tasks():
    """Return (how many tasks wait, seconds the oldest has waited)."""
    backend = task_backends["default"]
    if not type(backend).__module__.startswith("django_tasks_db"):
        return 0, 0  # the immediate backend runs each task as it is enqueued

    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True)
    oldest = oldest.first()
    if oldest is None:
        return 0, 0
    return ready.count(), max(0, round((timezone.now() - oldest).total_seconds()))


@never_cache
def queue(request):
    try:
        waiting, waited = waiting_tasks()
    except Exception:
        logger.exception("the task queue could not be read")
        return JsonResponse({"status": "failed"}, status=503)
    lagging = waited > TASK_WAIT_LIMIT
    if lagging:
        # Said once per probe, so a monitor's log shows since when.
        logger.warning(
            "a task has waited %ss for a worker (is `manage.py run_worker` running?)",
            waited,
        )
    return JsonResponse(
        {
            "status": "lagging" if lagging else "ok",
            "waiting": waiting,
            "oldest_wait_seconds": waited,
            "limit_seconds": TASK_WAIT_LIMIT,
        },
        status=503 if lagging else 200,
    )
