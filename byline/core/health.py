"""Liveness and readiness for load balancers and orchestrators.

`/healthz` answers while the process runs, touching nothing. `/readyz` says
whether this process can serve: the database answers, the cache stores and
returns a value, and the task backend is configured. Failures are 503 with the
reason, as JSON, and are never cached.

Both are answered by a middleware placed first, so that they do not depend on
what they check (the site lookup and sessions need the cache and the database).
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return healthz(request)
        if request.path == "/readyz":
            return readyz(request)
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
    from django_tasks import default_task_backend

    # The backend's own checks catch a misconfigured queue; a worker-based
    # backend (the production issue) adds its reachability here.
    errors = list(default_task_backend.check())
    if errors:
        raise RuntimeError("; ".join(str(e.msg) for e in errors))
    from django_tasks import task_backends

    if type(task_backends["default"]).__module__.startswith("django_tasks_db"):
        # The queue is a table: it answers, and nothing waits there too long
        # (a queue that only grows means no worker is running).
        from django_tasks_db.models import DBTaskResult

        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
        if oldest is not None:
            waited = (timezone.now() - oldest).total_seconds()
            if waited > TASK_WAIT_LIMIT:
                raise RuntimeError(
                    f"a task has waited {waited:.0f}s for a worker "
                    "(is `manage.py run_worker` running?)"
                )


# Longest a queued task may wait before the queue counts as not served.
TASK_WAIT_LIMIT = 5 * 60

CHECKS = {"database": _database, "cache": _cache, "tasks": _tasks}


@never_cache
def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready", with its reason
            results[name] = f"failed: {type(exc).__name__}: {exc}"[:300]
            ready = False
        else:
            results[name] = "ok"
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": results},
        status=200 if ready else 503,
    )
