"""CPU time per uncached page, in one process (budget d without the network).

Run against an install made by `bench/pages.py --reuse DIR` (its environment:
BYLINE_VAR_DIR, SECRET_KEY, DEBUG=0, PAGE_CACHE=0). Django's test client goes
through the whole middleware stack; every request carries a unique query string
and `Cache-Control: no-cache`. Prints the best of `--rounds` batches of
`--requests` after 30 warm-up requests, in ms of process CPU per request.

    PAGE_CACHE=0 .venv/bin/python bench/page_cpu.py [--profile article]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")

import django

django.setup()

from django.test import Client  # noqa: E402

from byline.news.models import ArticlePage, SectionPage  # noqa: E402


def urls():
    imported = ArticlePage.objects.live().exclude(source_id=None)
    article = imported.order_by("-published_at")[500]
    section = SectionPage.objects.get(slug="business")
    # url_path starts with the home page's slug, which the site root hides.
    return {
        "home": "/",
        "section": "/" + section.url_path.split("/", 2)[2],
        "article": "/" + article.url_path.split("/", 2)[2],
    }


def batch(client, url, n, counter):
    started = time.process_time()
    for _ in range(n):
        counter[0] += 1
        response = client.get(f"{url}?cpu={counter[0]}", HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200, (url, response.status_code)
    return (time.process_time() - started) / n * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", help="profile this page (home, section, article)")
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    counter = [0]
    pages = urls()
    if args.profile:
        import cProfile
        import pstats

        url = pages[args.profile]
        batch(client, url, 30, counter)
        profiler = cProfile.Profile()
        profiler.runcall(batch, client, url, args.requests, counter)
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(60)
        return
    for name, url in pages.items():
        batch(client, url, 30, counter)
        best = min(
            batch(client, url, args.requests, counter) for _ in range(args.rounds)
        )
        print(f"{name:8} {best:6.2f} ms  {url}")


if __name__ == "__main__":
    main()
