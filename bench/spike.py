"""A breaking-news spike: 200 concurrent readers and 20 concurrent commenters for
60 s against gunicorn, on SQLite and (with --postgres) on PostgreSQL.

Readers are wrk connections (from a second process) cycling through the home
page, sections, articles, tags and feeds, with the page cache on as in
production; commenters are browsers of their own (cookies, CSRF token) posting
guest comments with unique markers to the most-read article, so every approved
comment invalidates pages readers are loading. Prints reader and commenter
throughput and p99, then checks: zero 5xx for anyone, every accepted comment
stored exactly once.

    .venv/bin/python bench/spike.py [--seconds 60] [--readers 200] [--commenters 20]
    .venv/bin/python bench/spike.py --postgres postgres://postgres@127.0.0.1:5432/postgres
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    drop_postgres,
    free_port,
    manage,
    production_env,
    repeat_corpus,
    scratch_postgres,
    start_gunicorn,
)
from comments import RAISED_LIMITS, percentile, poster, tally

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


def spike(env, args, label, tmp):
    paths_file = Path(tmp) / "paths.txt"
    paths_file.write_text(manage(env, "shell", "--no-imports", "-c", PATHS_SCRIPT))
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    results, lock = [], threading.Lock()
    reader_result = {}
    try:
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
        wrk_thread.start()
        for thread in threads:
            thread.start()
        for thread in [wrk_thread, *threads]:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    t = tally(env, results)
    comment_5xx = sum(n for s, n in t.statuses.items() if s >= 500 or s == 0)
    r = reader_result
    print(f"{label}, {args.workers} gunicorn workers, {wall:.0f}s:")
    print(
        f"  readers ({args.readers}): {r['rps']:.1f} pages/s, p50 {r['p50']:.1f} ms, "
        f"p99 {r['p99']:.1f} ms, {int(r['requests'])} pages, "
        f"503 {int(r['e503'])}, other 5xx {int(r['e5xx'])}, "
        f"socket errors {int(r['errors'])}"
    )
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
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--postgres", help="server URL; a scratch database is used")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="byline-spike-") as tmp:
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
            corpus = Path(tmp) / "corpus.jsonl"
            repeat_corpus(args.corpus, corpus, args.articles)
            manage(env, "import_articles", str(corpus), "--no-progress")
            label = "PostgreSQL" if args.postgres else "SQLite"
            ok = spike(env, args, label, tmp)
        finally:
            if scratch:
                drop_postgres(args.postgres, scratch)
    print("PASS" if ok else "FAIL: see the figures above")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
