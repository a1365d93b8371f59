"""Search quality: MRR@10 and recall@10 for headline, body-word and typo queries.

Imports a JSON Lines corpus into a fresh database, then for every article runs
three queries and finds where the article ranks among the top 10:
  headline  its headline as typed;
  body      three distinctive words of its body (highest TF-IDF, not in the headline);
  typo      its headline with one letter dropped from the longest word.

    .venv/bin/python bench/search_quality.py [CORPUS.jsonl ...] [--limit N]
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _setup import DEFAULT_CORPUS, ROOT, signing_key

WORD = re.compile(r"[^\W\d_]+")


def tokens(text):
    return [w.lower() for w in WORD.findall(text)]


def distinctive_words(records):
    """Return {id: three highest TF-IDF body words that are not in the headline}."""
    df = Counter()
    counts = {}
    for r in records:
        c = Counter(tokens(r["body"]))
        counts[r["id"]] = c
        df.update(c.keys())
    n = len(records)
    picks = {}
    for r in records:
        headline = set(tokens(r["title"]))
        scored = sorted(
            (
                (tf * math.log(n / df[w]), w)
                for w, tf in counts[r["id"]].items()
                if w not in headline and len(w) > 2
            ),
            reverse=True,
        )
        picks[r["id"]] = " ".join(w for _, w in scored[:3])
    return picks


def drop_letter(headline):
    """Drop the middle letter of the headline's longest word."""
    words = headline.split()
    longest = max(range(len(words)), key=lambda i: len(re.sub(r"\W", "", words[i])))
    word = words[longest]
    middle = len(word) // 2
    words[longest] = word[:middle] + word[middle + 1 :]
    return " ".join(words)


def evaluate(records, search, page_ids):
    body = distinctive_words(records)
    kinds = {
        "headline": lambda r: r["title"],
        "body": lambda r: body[r["id"]],
        "typo": lambda r: drop_letter(r["title"]),
    }
    results = {}
    for kind, make_query in kinds.items():
        reciprocal, found, started = 0.0, 0, time.perf_counter()
        for r in records:
            ids = search(make_query(r), 10)
            target = page_ids[r["id"]]
            if target in ids:
                reciprocal += 1 / (ids.index(target) + 1)
                found += 1
        n = len(records)
        results[kind] = (reciprocal / n, found / n, (time.perf_counter() - started) / n)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=[str(DEFAULT_CORPUS)])
    parser.add_argument("--limit", type=int, default=0, help="use the first N articles")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="byline-search-quality-")
    os.environ.update(
        DEBUG="0", SECRET_KEY="bench-" + "q7Zr2Lx9Vw4Mp8Nc" * 2, BYLINE_VAR_DIR=tmp
    )
    os.environ["PROVENANCE_SIGNING_KEY_FILE"] = signing_key(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from byline.importers.jsonl import import_jsonl
    from byline.news.models import ArticlePage
    from byline.search.engine import top_ids

    call_command("migrate", verbosity=0)
    for corpus in args.corpora:
        records = [
            json.loads(line) for line in open(corpus, encoding="utf-8") if line.strip()
        ]
        if args.limit:
            records = records[: args.limit]
        ArticlePage.objects.all().delete()
        subset = Path(tmp) / "corpus.jsonl"
        subset.write_text(
            "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
        )
        summary = import_jsonl(subset)
        page_ids = dict(ArticlePage.objects.values_list("source_id", "pk"))
        # Records the importer refused (and reported) are not evaluated.
        records = [r for r in records if r["id"] in page_ids]
        print(f"{Path(corpus).name}: {len(records)} articles ({summary})", flush=True)
        for kind, (mrr, recall, seconds) in evaluate(
            records, top_ids, page_ids
        ).items():
            print(
                f"  {kind:<9} MRR@10 {mrr:.3f}  recall@10 {recall:.3f}  "
                f"({seconds * 1000:.1f} ms/query)",
                flush=True,
            )


if __name__ == "__main__":
    main()
