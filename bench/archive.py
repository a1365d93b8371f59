"""A large archive: import N articles, then time what grows with the archive.

    .venv/bin/python bench/archive.py [--articles 1000000] [--dir DIR]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--no-related]

The shared corpora (BBC and ECB+ dev files) repeated to N articles with new ids
(copies get their sentences shuffled) are imported with `import_articles`, its
progress bar on the terminal, signing and indexing included (the related lists
are rebuilt separately, and timed). With `--dir`, the install and the corpus
stay in DIR: run the same command again after an interruption and the import
resumes where it stopped. With `--postgres URL`, a scratch database named
`archive_<hex>` is made on that server (kept with `--dir`, dropped otherwise).

Then, served by gunicorn without the page cache, it prints one table: import
rate, search p50/p95 over a mix of queries (after a fresh server's first
searches, timed apart: `--warm`), the deepest page of the largest
section (the page holding its oldest articles, reached by its old `?page=N`
address and followed through any redirect), the sitemap and feeds, database
size per 100,000 articles, one publish with its related refresh (in a fresh
process and in a running one), and the related rebuild's time and peak memory.
"""

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    ROOT,
    drop_postgres,
    free_port,
    manage,
    production_env,
    read_corpus,
    repeat_corpus,
    start_gunicorn,
)

CORPORA = [DEFAULT_CORPUS, DEFAULT_CORPUS.with_name("ecbplus_dev.jsonl")]
PUBLISH_SCRIPT = """
import time
from byline.news.models import ArticlePage
times = []
for n in (7, 8):
    article = ArticlePage.objects.live().exclude(source_id=None).order_by("-pk")[n]
    article.title = article.title + " (updated)"
    revision = article.save_revision()
    started = time.perf_counter()
    revision.publish()  # the immediate task backend refreshes related lists here
    times.append(time.perf_counter() - started)
print(" ".join(f"{t:.2f}" for t in times))
"""
SECTIONS_SCRIPT = """
import json
from django.db.models import Count
from byline.news.models import ArticlePage, SectionPage
counts = dict(
    ArticlePage.objects.live().order_by().values_list("section_id").annotate(n=Count("pk"))
)
biggest = max(counts, key=counts.get)
section = SectionPage.objects.get(pk=biggest)
print(json.dumps({"url": section.url_path, "articles": counts[biggest],
                  "slug": section.slug}))
"""


def make_corpus(path, count):
    if path.exists() and sum(1 for _ in open(path, "rb")) == count:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as both:
        for corpus in CORPORA:
            if corpus.exists():
                both.write(corpus.read_text(encoding="utf-8"))
    repeat_corpus(both.name, path, count, shuffle_copies=True)
    os.unlink(both.name)


def scratch_database(url):
    import psycopg

    name = f"archive_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return name, urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def timed_run(env, var_dir, *args):
    """Run a management command with its progress bar on the terminal; return
    (wall seconds, CPU seconds, peak memory in MB of that process, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    report = Path(var_dir) / "time.txt"
    command = ["/usr/bin/time", "-o", str(report), "-f", "%M"]
    command += [sys.executable, "manage.py", *args]
    result = subprocess.run(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode:
        raise SystemExit(f"{args[0]} failed: {result.stdout}")
    peak = int(report.read_text().split()[-1]) / 1024
    return wall, cpu, peak, result.stdout


def fetch(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
        final = response.geturl()
    return (time.perf_counter() - started) * 1000, final


def timings(url, count):
    """p50 and p95 of `count` requests, or the error the first one met."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        try:
            times.append(fetch(url)[0])
        except urllib.error.URLError as exc:
            seconds = time.perf_counter() - started
            return f"{getattr(exc, 'code', exc.reason)} after {seconds:.1f} s"
    return "p50 {:.1f} / p95 {:.1f} ms".format(*percentiles(times))


def percentiles(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95


def queries(records, count, seed=3):
    """One to four words of the corpus's headlines, new each time (kept search
    pages would otherwise answer repeats)."""
    rng = random.Random(seed)
    words = sorted(
        {w.lower() for r in records for w in re.findall(r"[A-Za-z]{4,}", r["title"])}
    )
    seen = set()
    while len(seen) < count:
        seen.add(" ".join(rng.sample(words, rng.randint(1, 4))))
    return sorted(seen)


def database_mb(env, var_dir):
    if "DATABASE_URL" in env:
        out = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection\n"
            "c = connection.cursor()\n"
            "c.execute('SELECT pg_database_size(current_database())')\n"
            "print(c.fetchone()[0])",
        )
        return int(out) / 2**20
    return sum(p.stat().st_size for p in Path(var_dir).glob("byline.sqlite3*")) / 2**20


def serve_and_measure(env, args, records, row):
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    env = dict(env, PAGE_CACHE="0", RATE_LIMIT_SEARCH="1000000")
    server = start_gunicorn(env, port, workers=2)
    try:
        measured = queries(records, args.queries, args.seed)
        # A fresh server's first searches read the index's pages from disk
        # (bench/README.md, "fourteenth session"); they are timed apart, with
        # other words (a repeated query would be answered by the kept result).
        asked = set(measured)
        first = [
            q for q in queries(records, 2 * args.warm, args.seed + 1) if q not in asked
        ][: args.warm]
        for name, drawn in (
            (f"search p50 / p95, a fresh server's first {len(first)}", first),
            ("search p50 / p95", measured),
        ):
            times = [
                fetch(f"{site}/search/?q={urllib.parse.quote(q)}&format=json")[0]
                for q in drawn
            ]
            if times:
                row[name] = "{:.1f} / {:.1f} ms".format(*percentiles(times))
        section = json.loads(
            manage(env, "shell", "--no-imports", "-c", SECTIONS_SCRIPT)
        )
        last = -(-section["articles"] // 20)
        _, deepest = fetch(f"{site}/{section['slug']}/?page={last}")
        times = [fetch(deepest)[0] for _ in range(args.repeat)]
        row[f"deepest listing page (page {last:,} of /{section['slug']}/)"] = (
            "p50 {:.1f} / p95 {:.1f} ms".format(*percentiles(times))
        )
        for path in (
            "/sitemap.xml",
            "/news-sitemap.xml",
            "/feed/",
            f"/{section['slug']}/feed/",
        ):
            row[path] = timings(site + path, args.repeat)
        row["/sitemap-pages.xml (its first page)"] = timings(
            site + "/sitemap-pages.xml", 3
        )
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--dir", help="keep the install here (resume, reuse)")
    parser.add_argument("--postgres", help="server URL for a scratch database")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--warm",
        type=int,
        default=50,
        help="searches timed apart before the --queries ones (0: none)",
    )
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--seed",
        type=int,
        default=3,
        help="draws the search queries: another for queries no kept page answers",
    )
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="with --dir: measure the archive already imported there",
    )
    parser.add_argument(
        "--no-related",
        action="store_true",
        help="skip the related rebuild and the publish refresh",
    )
    args = parser.parse_args()

    var_dir = Path(args.dir or tempfile.mkdtemp(prefix="byline-archive-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    extra = {"RELATED_AFTER_IMPORT": "0"}
    scratch = None
    state = var_dir / "bench-database.json"
    if args.postgres:
        if state.exists():
            scratch = json.loads(state.read_text())
        else:
            scratch = dict(
                zip(("name", "url"), scratch_database(args.postgres), strict=True)
            )
            state.write_text(json.dumps(scratch))
        extra["DATABASE_URL"] = scratch["url"]
    env = production_env(var_dir, **extra)
    env.pop("REDIS_URL", None)
    if not args.postgres:
        env.pop("DATABASE_URL", None)
    corpus = var_dir / f"archive-{args.articles}.jsonl"
    make_corpus(corpus, args.articles)
    records = [r for c in CORPORA if c.exists() for r in read_corpus(c)]
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")

    row = {
        "database": "PostgreSQL" if args.postgres else "SQLite",
        "articles": f"{args.articles:,}",
    }
    if args.measure_only:
        row["import"] = "not run (--measure-only: the archive in --dir as it is)"
    else:
        print(
            f"Importing {args.articles:,} articles into {row['database']} ({var_dir})",
            file=sys.stderr,
            flush=True,
        )
        wall, cpu, peak, out = timed_run(
            env,
            var_dir,
            "import_articles",
            str(corpus),
            "--batch-size",
            str(args.batch_size),
        )
        created = int(re.search(r"(\d+) created", out).group(1))
        resumed = re.search(r"resumed after line (\d+)", out)
        row["import"] = (
            f"{created:,} created in {wall:.1f} s: {created / wall:,.0f} articles/s "
            f"({created / max(cpu, 0.001):,.0f} per CPU-second, peak {peak:,.0f} MB)"
            + (f", resumed after line {resumed.group(1)}" if resumed else "")
        )
    size = database_mb(env, var_dir)
    row["database size"] = (
        f"{size:,.0f} MB, {size / (args.articles / 100_000):,.0f} MB per 100k articles"
    )
    if not args.no_related:
        wall, _, peak, out = timed_run(
            env, var_dir, "related", "--rebuild", "--no-progress"
        )
        row["related rebuild"] = f"{wall:.1f} s, peak {peak:,.0f} MB"
        fresh, running = manage(
            env, "shell", "--no-imports", "-c", PUBLISH_SCRIPT
        ).split()
        row["one publish with its refresh"] = (
            f"{fresh} s in a fresh process, {running} s in a running one"
        )
    try:
        serve_and_measure(env, args, records, row)
    finally:  # what was measured, even if a later step failed
        width = max(map(len, row))
        for key, value in row.items():
            print(f"{key:<{width}}  {value}", flush=True)
    if not args.dir:
        if scratch:
            drop_postgres(args.postgres, scratch["name"])
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
