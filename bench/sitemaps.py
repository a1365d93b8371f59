"""CPU and wall time per sitemap request, in one process, without the page cache.

Run against an install made by `bench/archive.py --dir DIR` (SQLite, so the
database's own work is in this process's CPU time too):

    .venv/bin/python bench/sitemaps.py --dir DIR [--repeat 5]

Django's test client goes through the whole middleware stack with PAGE_CACHE=0.
For the sitemap index, the first, a middle and the last part of the page
sitemap (as the index links them) and the Google News sitemap it prints the
median and worst of `--repeat` requests after one warm-up: process CPU ms,
wall ms, queries, and the URLs or parts listed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _setup import production_env

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def measure(client, path, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm-up: site and settings caches
    cpu, wall = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    listed = response.content.count(b"<loc>")
    return cpu, wall, len(queries), listed, response.content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="the install of bench/archive.py")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.update(production_env(args.dir, PAGE_CACHE="0"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from wagtail.models import Page

    from byline.news.models import ArticlePage

    host = urlsplit(settings.SITE_URL).hostname
    client = Client(HTTP_HOST=host)
    print(
        f"{ArticlePage.objects.live().count():,} live articles, "
        f"{Page.objects.count():,} pages; load average "
        + " ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    rows = []
    cpu, wall, queries, listed, body = measure(client, "/sitemap.xml", args.repeat)
    rows.append(("/sitemap.xml", cpu, wall, queries, f"{listed} parts"))
    parts = [
        urlsplit(loc.text) for loc in ElementTree.fromstring(body).iter(f"{SITEMAP}loc")
    ]
    picked = {0: "first", len(parts) // 2: "middle", len(parts) - 1: "last"}
    for index, name in sorted(picked.items()):
        part = parts[index].path + (
            f"?{parts[index].query}" if parts[index].query else ""
        )
        cpu, wall, queries, listed, _ = measure(client, part, args.repeat)
        rows.append((f"{part} ({name})", cpu, wall, queries, f"{listed:,} URLs"))
    cpu, wall, queries, listed, _ = measure(client, "/news-sitemap.xml", args.repeat)
    rows.append(("/news-sitemap.xml", cpu, wall, queries, f"{listed:,} URLs"))
    width = max(len(row[0]) for row in rows)
    for path, cpu, wall, queries, listed in rows:
        print(
            f"{path:<{width}}  CPU {statistics.median(cpu):8.1f} ms "
            f"(max {max(cpu):8.1f})  wall {statistics.median(wall):8.1f} ms "
            f"(max {max(wall):8.1f})  {queries:3} queries  {listed}"
        )


if __name__ == "__main__":
    main()
