"""A breaking-news spike: 200 concurrent readers and 20 concurrent commenters for
60 s against gunicorn, on SQLite and (with --postgres) on PostgreSQL.

Readers are wrk connections (from a second process) cycling through the home
page, sections, articles, tags and feeds, with the page cache on as in
production; commenters are browsers of their own (cookies, CSRF token) posting
guest comments with unique markers to the most-read article, so every approved
comment invalidates pages readers are loading. Prints reader and commenter
throughput and p99, then checks: zero 5xx for anyone, every accepted comment
stored exactly once.

The server is started as `make run` starts it (`make print-serve`: gunicorn
with deploy/gunicorn.conf.py, one gthread worker per core with two threads,
preloaded, the scheduler forked by the master); `--workers N` serves with N
sync workers instead, as the spike did before 2026-12-05.

Tasks run as in production (`--tasks database`): a `run_worker` process beside
gunicorn, which also does the coalesced refresh of listings after comments
(PAGE_CACHE_LISTING_SECONDS). `--tasks immediate` runs them in the request, as
`make run` does, and refreshes listings with every comment.

    .venv/bin/python bench/spike.py [--seconds 60] [--readers 200] [--commenters 20]
        [--moderation first|none] [--workers N]
    .venv/bin/python bench/spike.py --postgres postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/spike.py --nginx

`--nginx` serves as production does (README, "Deploying"): Debian's nginx with
`deploy/nginx-site.conf` in front of gunicorn as proxy cache, readers and
commenters going through it, and the app purging it on every change
(FRONTEND_CACHE_PURGE_URL). Needs `apt-get install -y nginx-light
libnginx-mod-http-cache-purge`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    ROOT,
    drop_postgres,
    free_port,
    install_newsroom,
    manage,
    production_env,
    scratch_postgres,
    start_gunicorn,
)
from comments import RAISED_LIMITS, percentile, poster, tally
from compare import serve_byline, stop
from http_cache import start_nginx

PATHS_SCRIPT = """
from byline.news.models import ArticlePage, SectionPage
from taggit.models import Tag
def path(page):
    return "/" + page.url_path.split("/", 2)[2]
paths = ["/", "/feed/", "/sitemap.xml"]
paths += [path(s) for s in SectionPage.objects.live()]
paths += [path(a) for a in ArticlePage.objects.live().order_by("-published_at")[:60]]
paths += [f"/tags/{t.slug}/" for t in Tag.objects.all()[:10]]
print("\\n".join(paths))
"""


def readers(base, paths_file, seconds, connections):
    script = Path(__file__).with_name("wrk_spike.lua")
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        check=True,
        text=True,
        capture_output=True,
        env={**os.environ, "SPIKE_PATHS": str(paths_file)},
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def proxy_timings(access_log, offset):
    """Readers' requests as nginx timed them (from its access log, past the
    warm-up): what the server took, without the client's own waiting for a
    CPU, which wrk's figures include on a loaded machine."""
    times, statuses = [], {}
    with open(access_log) as log:
        log.seek(offset)
        for line in log:
            status, seconds, method = line.split()[:3]
            if method == "GET":
                times.append(float(seconds) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
    times.sort()
    return (
        f"  readers as nginx timed them: p50 {percentile(times, 0.5):.1f} ms, "
        f"p99 {percentile(times, 0.99):.1f} ms, "
        f"p99.9 {percentile(times, 0.999):.1f} ms, "
        f"cache {dict(sorted(statuses.items()))}"
    )


def warm(base, paths_file):
    for path in paths_file.read_text().split():
        with urllib.request.urlopen(base + path, timeout=60) as response:
            response.read()


MODERATION_SCRIPT = """
from byline.comments.models import CommentSettings
from wagtail.models import Site
s = CommentSettings.for_site(Site.objects.get(is_default_site=True))
s.moderation = {mode!r}
s.save()
"""


QUEUE_SCRIPT = """
from collections import Counter
from django.db.models import Q
from django_tasks_db.models import DBTaskResult
waiting = DBTaskResult.objects.filter(Q(status="READY") | Q(status="RUNNING"))
print(dict(Counter(waiting.values_list("task_path", flat=True))))
"""


def drain_tasks(env, timeout=600):
    """Wait until the task worker has done what installing the site queued.

    Installing queues the imported articles' follow-up work; a worker that
    starts with the storm did it during the storm (at 12 s into a 30 s run its
    invalidations made 168 pages miss at once, with no commenter at all), so
    the figures were of a site still being set up."""
    deadline = time.monotonic() + timeout
    first = None
    while time.monotonic() < deadline:
        waiting = manage(env, "shell", "--no-imports", "-c", QUEUE_SCRIPT).strip()
        first = first or waiting
        if waiting == "{}":
            print(f"  task queue drained before the storm (it held {first})")
            return
        time.sleep(2)
    raise SystemExit(f"the task worker did not drain its queue: {waiting}")


def spike(env, args, label, tmp):
    if args.moderation != "first":
        code = MODERATION_SCRIPT.format(mode=args.moderation)
        manage(env, "shell", "--no-imports", "-c", code)
    paths_file = Path(tmp) / "paths.txt"
    paths_file.write_text(manage(env, "shell", "--no-imports", "-c", PATHS_SCRIPT))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proxy_port = env.get("SPIKE_PROXY_PORT")
    if proxy_port:
        base = f"http://127.0.0.1:{proxy_port}"
    access_log = Path(tmp) / "nginx-access.log"
    worker = None
    if args.tasks == "database":
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    servers = []
    results, lock = [], threading.Lock()
    reader_result = {}
    try:
        # Inside the try: a server that does not start must not leave the
        # task worker running.
        if args.workers:
            servers = [start_gunicorn(env, port, args.workers)]
        else:
            servers = serve_byline(env, port)
        if proxy_port:
            servers.insert(
                0,
                start_nginx(
                    Path(tmp) / "nginx",
                    int(proxy_port),
                    port,
                    Path(tmp) / "static",
                    access_log=access_log,
                ),
            )
        # A spike hits a site already serving: what installing queued is done
        # and every reader path is fetched once first, so the figures are of
        # the storm, not of a cold start.
        if worker is not None:
            drain_tasks(env)
        warm(base, paths_file)
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=poster, args=(base, env["SECRET_KEY"], deadline, results, lock)
            )
            for _ in range(args.commenters)
        ]
        wrk_thread = threading.Thread(
            target=lambda: reader_result.update(
                readers(base, paths_file, args.seconds, args.readers)
            )
        )
        started = time.perf_counter()
        started_at = access_log.stat().st_size if proxy_port else 0
        wrk_thread.start()
        for thread in threads:
            thread.start()
        for thread in [wrk_thread, *threads]:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        stop(servers)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)

    t = tally(env, results)
    comment_5xx = sum(n for s, n in t.statuses.items() if s >= 500 or s == 0)
    r = reader_result
    served = f"{args.workers} sync workers" if args.workers else "as make run"
    if proxy_port:
        served += ", behind nginx (deploy/nginx-site.conf)"
    print(
        f"{label}, gunicorn {served}, tasks {args.tasks}, "
        f"moderation {args.moderation}, {wall:.0f}s:"
    )
    print(
        f"  readers ({args.readers}): {r['rps']:.1f} pages/s, p50 {r['p50']:.1f} ms, "
        f"p99 {r['p99']:.1f} ms, {int(r['requests'])} pages, "
        f"503 {int(r['e503'])}, other 5xx {int(r['e5xx'])}, "
        f"socket errors {int(r['errors'])}"
    )
    if proxy_port:
        print(proxy_timings(access_log, started_at))
    print(
        f"  commenters ({args.commenters}): {len(t.accepted) / wall:.1f} comments/s "
        f"accepted, p50 {statistics.median(t.latencies) * 1000:.0f} ms, "
        f"p99 {percentile(t.latencies, 0.99) * 1000:.0f} ms, statuses {t.statuses}"
    )
    print(
        f"  comments: {len(t.accepted)} accepted, {len(t.stored)} stored, "
        f"lost {len(t.lost)}, duplicated {t.duplicated}",
        flush=True,
    )
    return (
        not t.lost
        and not t.duplicated
        and not comment_5xx
        and not (r["e5xx"] or r["e503"])
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--commenters", type=int, default=20)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument(
        "--workers",
        type=int,
        help="serve with this many sync workers (default: as `make run` serves)",
    )
    parser.add_argument("--postgres", help="server URL; a scratch database is used")
    parser.add_argument(
        "--nginx",
        action="store_true",
        help="readers and commenters through nginx's proxy cache, as deployed",
    )
    parser.add_argument(
        "--moderation",
        choices=["first", "none"],
        default="first",
        help="the demo's rule (first comments held), or publish every comment",
    )
    parser.add_argument(
        "--tasks",
        choices=["database", "immediate"],
        default="database",
        help="a task worker as in production (default), or tasks in the request",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="byline-spike-") as tmp:
        extra = dict(RAISED_LIMITS)
        if args.tasks == "database":
            extra["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        scratch = None
        if args.postgres:
            scratch, extra["DATABASE_URL"] = scratch_postgres(args.postgres)
        if args.nginx:
            # The site answers on the proxy's address, which purges name.
            proxy = free_port()
            extra["SPIKE_PROXY_PORT"] = str(proxy)
            extra["SITE_URL"] = f"http://127.0.0.1:{proxy}"
            extra["FRONTEND_CACHE_PURGE_URL"] = f"http://127.0.0.1:{proxy}"
        env = production_env(Path(tmp), **extra)
        if not args.postgres:
            env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        try:
            install_newsroom(env, args.corpus, args.articles, tmp)
            label = "PostgreSQL" if args.postgres else "SQLite"
            ok = spike(env, args, label, tmp)
        finally:
            if scratch:
                drop_postgres(args.postgres, scratch)
    print("PASS" if ok else "FAIL: see the figures above")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
