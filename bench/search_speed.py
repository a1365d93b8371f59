"""Search speed over a 100,000-article archive, through HTTP, on SQLite or PostgreSQL.

Builds the archive from a corpus (repeated with new ids and shuffled sentences),
imports it (indexing included), serves it with gunicorn, then sends 300 queries
of one to four words drawn from the corpus vocabulary to /search/?format=json,
one at a time, and prints p50/p95/p99 latency and queries per second.

    .venv/bin/python bench/search_speed.py [--articles 100000] [--postgres URL] [CORPUS]

With --postgres postgres://user@host:5432/postgres a scratch database is created
on that server for the run and dropped afterwards.
"""

import argparse
import json
import os
import random
import re
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
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

STOP_WORDS = set(
    "the and for that with from this have were which their said will would there "
    "been about also into than they them more some what when other could after "
    "over only then these its his her has had not but are was one two new".split()
)


def make_queries(records, count=300, seed=11):
    rng = random.Random(seed)
    vocabulary = sorted(
        {
            w.lower()
            for r in records
            for w in re.findall(r"[A-Za-z]{4,}", r["title"] + " " + r["body"])
            if w.lower() not in STOP_WORDS
        }
    )
    return [" ".join(rng.sample(vocabulary, rng.randint(1, 4))) for _ in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--postgres", help="server URL; a scratch database is used")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--reuse",
        help="keep the archive (and the PostgreSQL database) and reuse them later",
    )
    args = parser.parse_args()

    scratch = None
    with tempfile.TemporaryDirectory(prefix="byline-search-speed-") as tmp:
        if args.reuse:
            tmp = args.reuse
            Path(tmp).mkdir(parents=True, exist_ok=True)
        reusing = args.reuse and (Path(tmp) / "byline.sqlite3").exists()
        extra = {}
        if args.postgres:
            kept = Path(tmp) / "postgres-database"
            if args.reuse and kept.exists():
                name = kept.read_text().strip()
                parts = urllib.parse.urlsplit(args.postgres)
                extra["DATABASE_URL"] = urllib.parse.urlunsplit(
                    parts._replace(path=f"/{name}")
                )
                reusing = True
            else:
                scratch, extra["DATABASE_URL"] = scratch_postgres(args.postgres)
                reusing = False
                if args.reuse:
                    kept.write_text(scratch)
                    scratch = None  # kept for the next run
        # Related lists are not what this measures: skip their rebuild.
        env = production_env(Path(tmp), RELATED_AFTER_IMPORT="0", **extra)
        if not args.postgres:
            env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        try:
            env["SECRET_KEY"] = (
                "search-speed-bench-stable-q7Zr2Lx9Vw4Mp8Nc"  # stable, for --reuse
            )
            manage(env, "migrate", "--noinput")
            manage(env, "collectstatic", "--noinput")
            archive = Path(tmp) / "archive.jsonl"
            records = repeat_corpus(
                args.corpus, archive, args.articles, shuffle_copies=True
            )
            print(
                f"database: {'PostgreSQL' if args.postgres else 'SQLite'}", flush=True
            )
            if not reusing:
                started = time.perf_counter()
                summary = manage(env, "import_articles", str(archive), "--no-progress")
                print(
                    f"import + indexing of {args.articles} articles: "
                    f"{time.perf_counter() - started:.1f}s ({summary.strip()})",
                    flush=True,
                )
            queries = make_queries(records, args.queries)
            port = free_port()
            server = start_gunicorn(env, port, args.workers)
            try:
                base = f"http://127.0.0.1:{port}/search/?format=json&q="
                for q in queries[:20]:  # warm up every worker
                    urllib.request.urlopen(base + urllib.parse.quote(q)).read()
                latencies, totals = [], []
                started = time.perf_counter()
                for q in queries:
                    t = time.perf_counter()
                    body = urllib.request.urlopen(base + urllib.parse.quote(q)).read()
                    latencies.append((time.perf_counter() - t) * 1000)
                    totals.append(json.loads(body)["total"])
                elapsed = time.perf_counter() - started
            finally:
                server.terminate()
                server.wait(timeout=20)
            cuts = statistics.quantiles(latencies, n=100)
            print(
                f"{len(queries)} queries, one at a time: p50 {cuts[49]:.1f} ms, "
                f"p95 {cuts[94]:.1f} ms, p99 {cuts[98]:.1f} ms, "
                f"{len(queries) / elapsed:.1f} queries/s, "
                f"median hits {statistics.median(totals):.0f}"
            )
        finally:
            if scratch:
                drop_postgres(args.postgres, scratch)


if __name__ == "__main__":
    main()
