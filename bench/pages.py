"""Page throughput and latency with 10,000 articles, no page cache.

Imports the corpus repeated to 10,000 articles into a fresh production-mode
install (DEBUG=0, SQLite), serves it with gunicorn and loads the home, a
section and an article page with wrk (32 connections) from a second process.
Prints requests/s, p50/p95/p99 and the SQL queries each page costs.

    .venv/bin/python bench/pages.py [--articles 10000] [--seconds 10] [CORPUS.jsonl]
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    free_port,
    manage,
    production_env,
    repeat_corpus,
    start_gunicorn,
    wrk,
)

QUERY_COUNT_SCRIPT = """
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
for url in {urls!r}:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    print(url, status, len(ctx.captured_queries))
"""

PICK_URLS_SCRIPT = """
from byline.news.models import ArticlePage, SectionPage
imported = ArticlePage.objects.live().exclude(source_id=None)
article = imported.order_by("-published_at")[500]
section = SectionPage.objects.get(slug="business")
# url_path starts with the home page's slug, which the site root hides.
print("/" + article.url_path.split("/", 2)[2])
print("/" + section.url_path.split("/", 2)[2])
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument(
        "--reuse", help="keep the install in this folder and reuse it on later runs"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-bench-") as tmp:
        if args.reuse:
            tmp = args.reuse
            Path(tmp).mkdir(parents=True, exist_ok=True)
        reusing = args.reuse and (Path(tmp) / "byline.sqlite3").exists()
        env = production_env(Path(tmp))
        env["SECRET_KEY"] = "pages-bench-stable-q7Zr2Lx9Vw4Mp8Nc"  # stable, for --reuse
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        env["PAGE_CACHE"] = "0"  # the budget is for pages rendered every time
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if not reusing:
            manage(env, "load_demo")
            corpus = Path(tmp) / "corpus.jsonl"
            repeat_corpus(args.corpus, corpus, args.articles)
            started = time.perf_counter()
            summary = manage(
                env, "import_articles", str(corpus), "--no-progress"
            ).strip()
            print(f"import: {summary} (wall {time.perf_counter() - started:.1f}s)")

        article_url, section_url = manage(
            env, "shell", "--no-imports", "-c", PICK_URLS_SCRIPT
        ).split()
        # robots.txt is the floor: the whole middleware stack and URL routing
        # with a view that renders no template and runs no query.
        urls = {
            "home": "/",
            "section": section_url,
            "article": article_url,
            "floor": "/robots.txt",
        }
        queries = manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            QUERY_COUNT_SCRIPT.format(urls=list(urls.values())),
        )
        query_counts = {
            line.split()[0]: line.split()[2] for line in queries.splitlines()
        }

        port = free_port()
        server = start_gunicorn(env, port, args.workers)
        try:
            print(
                f"gunicorn: {args.workers} workers, wrk: 32 connections, "
                f"{args.seconds}s each"
            )
            print(
                f"{'page':<8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
                f"{'errors':>6} {'SQL':>4}  url"
            )
            for name, url in urls.items():
                wrk(f"http://127.0.0.1:{port}{url}", seconds=2)  # warm up
                r = wrk(f"http://127.0.0.1:{port}{url}", seconds=args.seconds)
                print(
                    f"{name:<8} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                    f"{r['p99']:>8.1f} {int(r['errors']):>6} "
                    f"{query_counts[url]:>4}  {url}"
                )
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
