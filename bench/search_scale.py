"""Search at archive scale without importing the archive: the index's part.

Importing a million articles takes an hour or more; the search index alone
fills in about five minutes. This fills only the search tables of a scratch
SQLite install with N articles (the BBC and ECB+ dev corpora repeated, copies'
sentences shuffled, as bench/archive.py does) through the importer's own
`index_rows`, then times, in this process:

- the engine's work for 200 queries of one to four headline words
  (archive.py's): spelling and term counts, the count and the first page's
  ranking and snippets, everything a search does except loading and
  rendering the 20 articles shown, which does not grow with the archive;
- known-item search: 150 corpus headlines searched as typed, MRR@10 of an
  article with that headline (any copy) and the time;
- as-you-type suggestions for 100 headline beginnings.

    .venv/bin/python bench/search_scale.py [--articles 1000000] [--dir DIR]
        [--database-url URL]

With --dir the filled database stays there and a second run only measures.
With --database-url (and --dir for the install's files) nothing is filled: the
archive already imported there, bench/archive.py's on PostgreSQL for example,
is measured, a known item's title read from its article. The figures for a
whole search through gunicorn are archive.py's.
"""

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _setup import manage, read_corpus, signing_key
from archive import CORPORA, queries

BATCH = 2000
FIRST_ID = 10


def setup_django(var_dir, database_url=None):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="byline.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        BYLINE_VAR_DIR=str(var_dir),
        PROVENANCE_SIGNING_KEY_FILE=signing_key(var_dir),
        DATABASE_URL=database_url or f"sqlite:///{var_dir}/db.sqlite3",
    )
    os.environ.pop("REDIS_URL", None)
    # Migrated in a process of its own, as archive.py does: this one times.
    manage(dict(os.environ), "migrate", "--noinput")
    import django

    django.setup()


def fill(records, count):
    """Index `count` articles; article i has page id FIRST_ID + i."""
    from django.db import transaction

    from byline.search import fts_sqlite
    from byline.search.text import for_index

    fts_sqlite.recreate()
    rng, batch, started = random.Random(7), [], time.perf_counter()
    for i in range(count):
        record = records[i % len(records)]
        body = record["body"]
        if i >= len(records):
            sentences = re.split(r"(?<=[.!?])\s+", body)
            rng.shuffle(sentences)
            body = " ".join(sentences)
        standfirst = re.split(r"(?<=[.!?])\s+", body.strip())[0]
        published = 1_100_000_000 + 60 * i
        row = (FIRST_ID + i, record["title"], standfirst, body)
        batch.append((*map(for_index, row[1:]), published, 1 + i % 8, "news"))
        batch[-1] = (row[0], *batch[-1])
        if len(batch) == BATCH or i == count - 1:
            with transaction.atomic():
                fts_sqlite.index_rows(batch)
            batch = []
            print(f"\r  indexed {i + 1:,}", end="", flush=True)
    print(f" in {time.perf_counter() - started:.0f} s")


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return (time.perf_counter() - started) * 1000, result


def filled_titles(records, ids):
    return [records[(pk - FIRST_ID) % len(records)]["title"] for pk in ids]


def imported_titles(records, ids):
    from byline.news.models import ArticlePage

    titles = dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "title"))
    return [titles.get(pk) for pk in ids]


def measure(records, titles_of=filled_titles, seed=3):
    from byline.search.engine import search_articles, suggest_headlines

    def engine_work(text):
        results = search_articles(text)
        results.count()
        results[0:20]  # ranks and makes the snippets (no articles to load)

    search_articles("warm up").count()  # the archive's size, kept ten minutes
    rows = [
        (
            "search (engine, no rendering)",
            [timed(engine_work, q)[0] for q in queries(records, 200, seed)],
        )
    ]
    rng, ranks, known = random.Random(5), [], []
    for i in rng.sample(range(len(records)), 150):
        ms, ids = timed(
            lambda t: search_articles(t).ranked_ids(10), records[i]["title"]
        )
        known.append(ms)
        titles = titles_of(records, ids)
        hit = [n for n, title in enumerate(titles, 1) if title == records[i]["title"]]
        ranks.append(1 / hit[0] if hit else 0.0)
    rows.append(("known item (headline as typed)", known))
    starts = []
    for record in rng.sample(records, 100):
        words = record["title"].split()
        starts.append(" ".join(words[: rng.randint(1, min(3, len(words)))])[:-1])
    rows.append(("suggestions", [timed(suggest_headlines, s)[0] for s in starts]))
    for name, times in rows:
        p50, p95 = percentiles(times)
        print(f"{name:34} p50 {p50:6.1f} / p95 {p95:6.1f} / max {max(times):7.1f} ms")
    print(f"{'known item MRR@10':34} {statistics.mean(ranks):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--dir", help="keep the database here (and reuse it)")
    parser.add_argument("--database-url", help="measure this imported archive")
    parser.add_argument("--seed", type=int, default=3, help="draws the queries")
    args = parser.parse_args()
    var_dir = Path(args.dir or tempfile.mkdtemp(prefix="search-scale-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    setup_django(var_dir, args.database_url)
    from byline.search import fts_sqlite
    from byline.search.indexing import index_backend

    records = [r for corpus in CORPORA if corpus.exists() for r in read_corpus(corpus)]
    if not records:
        sys.exit("no corpus: ../shared/data/news is missing")
    if args.database_url:
        count = index_backend().document_count()
        print(f"{count:,} articles indexed, {args.database_url}")
        measure(records, imported_titles, args.seed)
        return
    if fts_sqlite.document_count() != args.articles:
        fill(records, args.articles)
    print(f"{fts_sqlite.document_count():,} articles indexed, SQLite, {var_dir}")
    measure(records, seed=args.seed)


if __name__ == "__main__":
    main()
