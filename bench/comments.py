"""Comment posting under load: 32 concurrent posters for 30 s against gunicorn.

    .venv/bin/python bench/comments.py [--seconds 30] [--posters 32]
    .venv/bin/python bench/comments.py --postgres postgres://postgres@127.0.0.1:5432/postgres

Each poster is a browser of its own (cookies, CSRF token) posting guest
comments through the article's form, every one with a unique marker in its
text. Prints comments/s, p50/p95 latency and the status codes, then checks the
database: every comment the server accepted (302) is stored exactly once, and
nothing answered 5xx. The spam defences stay on; the per-address rate limit is
raised for the run (every poster comes from 127.0.0.1) and the form stamps are
signed with the install's key as if each form had been open for a minute.
"""

import argparse
import http.cookiejar
import json
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

from _setup import (
    drop_postgres,
    free_port,
    manage,
    production_env,
    scratch_postgres,
    start_gunicorn,
)

ARTICLE = "/world/putin-xi-state-visit-beijing/"
ARTICLE_ID = re.compile(r'action="/comments/article/(\d+)/post/(?:#comments)?"')

COUNT_SCRIPT = """
import json
from byline.comments.models import Comment
bench = Comment.objects.filter(text__startswith="bench-")
print(json.dumps(list(bench.values_list("text", flat=True))))
"""


# Every poster comes from 127.0.0.1: the per-address limits that would stop one
# reader posting this fast are raised for a run.
RAISED_LIMITS = {
    "COMMENTS_IP_LIMIT": "1000000",
    "COMMENTS_EMAIL_LIMIT": "1000000",
    "RATE_LIMIT_POSTS": "1000000",
}


def percentile(sorted_values, q):
    return sorted_values[int(q * (len(sorted_values) - 1))] if sorted_values else 0


def tally(env, results):
    """What the posters were told, against what the database holds."""
    stored = json.loads(manage(env, "shell", "--no-imports", "-c", COUNT_SCRIPT))
    stored_set = set(stored)
    accepted = {marker for status, _, marker in results if status == 302}
    refused = {marker for status, _, marker in results if status == 503}
    return SimpleNamespace(
        stored=stored,
        statuses=dict(sorted(Counter(status for status, _, _ in results).items())),
        accepted=accepted,
        lost=accepted - stored_set,
        duplicated=len(stored) - len(stored_set),
        saved_after_503=refused & stored_set,
        latencies=sorted(elapsed for _, elapsed, _ in results),
    )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def poster(base, secret, deadline, results, lock):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), NoRedirect()
    )
    page = opener.open(base + ARTICLE, timeout=30).read().decode()
    # Cached pages carry no token: a browser fetches one (forms.js), with its cookie.
    token = opener.open(base + "/forms/token/", timeout=30).read().decode()
    csrf = __import__("json").loads(token)["csrf"]
    article_id = ARTICLE_ID.search(page).group(1)
    stamp = form_stamp(secret)
    while time.monotonic() < deadline:
        marker = f"bench-{uuid.uuid4().hex}"
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "name": "Load Tester",
                "email": f"{marker}@example.org",
                "text": marker,
                "ts": stamp,
                "website": "",
            }
        ).encode()
        request = urllib.request.Request(
            f"{base}/comments/article/{article_id}/post/",
            data=data,
            headers={"Referer": base + ARTICLE},
        )
        started = time.perf_counter()
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        elapsed = time.perf_counter() - started
        with lock:
            results.append((status, elapsed, marker))


def form_stamp(secret):
    """A form stamp as the server signs it, dated a minute ago."""
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=secret)
    from django.core import signing

    return signing.dumps(time.time() - 60, salt="byline.comments.form", key=secret)


def run(env, args, label):
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    results, lock = [], threading.Lock()
    try:
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=poster, args=(base, env["SECRET_KEY"], deadline, results, lock)
            )
            for _ in range(args.posters)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=20)

    t = tally(env, results)
    errors = sum(n for status, n in t.statuses.items() if status >= 500 or status == 0)
    print(
        f"{label}: {len(t.accepted) / wall:.1f} comments/s accepted, "
        f"p50 {statistics.median(t.latencies) * 1000:.0f} ms, "
        f"p95 {percentile(t.latencies, 0.95) * 1000:.0f} ms, "
        f"statuses {t.statuses}, lost {len(t.lost)}, "
        f"duplicated {t.duplicated}, 5xx/failed {errors}",
        flush=True,
    )
    return not t.lost and not t.duplicated and not errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--posters", type=int, default=32)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--postgres", help="server URL; a scratch database is used")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory(prefix="byline-comments-") as tmp:
        extra = dict(RAISED_LIMITS)
        scratch = None
        if args.postgres:
            scratch, extra["DATABASE_URL"] = scratch_postgres(args.postgres)
        env = production_env(Path(tmp), **extra)
        if not args.postgres:
            env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        try:
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            manage(env, "load_demo")
            label = "PostgreSQL" if args.postgres else "SQLite"
            ok = run(env, args, f"{label}, {args.posters} posters, {args.seconds}s")
        finally:
            if scratch:
                drop_postgres(args.postgres, scratch)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
