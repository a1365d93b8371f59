"""Related articles: quality on labelled corpora, and rebuild/refresh speed.

    .venv/bin/python bench/related_quality.py [FILE.jsonl ...] [--sizes 10000 100000]

For each corpus: import it into a fresh production-mode install, rebuild the
related lists, export them and print precision@4 (share of related articles in
the article's own category, where the corpus has categories) and story
recall@4 (share of the article's same-story articles found in its top 4, out of
at most 4, where the corpus has story_id). Then, for each size, the first
corpus repeated to that many articles (copies get shuffled sentences, as in the
search benchmark): rebuild time, the time to refresh after one publish, and
peak memory; and, as `run_worker` does, the model loaded at start and then
one publish. `--sizes` with no value skips the speed part.

With `--refreshed F`, each corpus is measured a second way too: its newest F
(a fraction, by position in the file) is held back from the rebuild, then
imported and refreshed one article at a time, as publishes would; the lists
are scored, then rebuilt and scored again, and the two sets of lists compared
(the share of each article's top 4 that both hold).
"""

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

from _setup import DEFAULT_CORPUS, manage, production_env, read_corpus, repeat_corpus

ECB_CORPUS = DEFAULT_CORPUS.with_name("ecbplus_dev.jsonl")

# Two publishes in one process: the first reads the text model (what a
# freshly started worker does), the second reuses it (a running worker).
PUBLISH_ONE_SCRIPT = """
import time
from byline.news.models import ArticlePage
times = []
for n in ({n}, {n} + 1):
    article = ArticlePage.objects.live().exclude(source_id=None).order_by("pk")[n]
    article.title = article.title + " (updated)"
    revision = article.save_revision()
    started = time.perf_counter()
    revision.publish()  # the immediate task backend refreshes related lists here
    times.append(time.perf_counter() - started)
print(" ".join(f"{{t:.2f}}" for t in times))
"""

# A worker as `run_worker` starts one: the model loaded before the first task.
WORKER_SCRIPT = """
import time
from byline.news.models import ArticlePage
from byline.related import refreshing
started = time.perf_counter()
refreshing.warm()
times = [time.perf_counter() - started]
article = ArticlePage.objects.live().exclude(source_id=None).order_by("pk")[{n}]
article.title = article.title + " (updated again)"
revision = article.save_revision()
started = time.perf_counter()
revision.publish()
times.append(time.perf_counter() - started)
print(" ".join(f"{{t:.2f}}" for t in times))
"""


def install(tmp):
    env = production_env(Path(tmp))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage(env, "migrate", "--noinput")
    return env


def timed(env, *args):
    started = time.perf_counter()
    out = manage(env, *args)
    return time.perf_counter() - started, out.strip()


# Refresh each held-back article as its publish's task would, in import order.
REFRESH_SCRIPT = """
from byline.news.models import ArticlePage
from byline.related import refreshing
ids = ArticlePage.objects.filter(source_id__in={ids!r}).order_by("pk")
for pk in ids.values_list("pk", flat=True):
    refreshing.refresh(pk)
"""


def exported(env, tmp):
    export = Path(tmp) / "related.jsonl"
    manage(env, "related", "--export", str(export))
    return {
        row["id"]: row["related"]
        for row in map(json.loads, export.read_text().splitlines())
    }


def quality(corpus):
    records = read_corpus(corpus)
    with tempfile.TemporaryDirectory(prefix="byline-related-") as tmp:
        env = install(tmp)
        manage(env, "import_articles", str(corpus), "--no-progress")
        seconds, summary = timed(env, "related", "--rebuild", "--no-progress")
        lists = exported(env, tmp)
    parts = [*scores(records, lists), f"rebuild {seconds:.1f}s"]
    print(f"{Path(corpus).name}: " + ", ".join(parts), flush=True)


def refreshed_quality(corpus, fraction):
    """Lists kept by one refresh a publish against the same lists rebuilt."""
    records = read_corpus(corpus)
    held = max(1, round(len(records) * fraction))
    with tempfile.TemporaryDirectory(prefix="byline-related-") as tmp:
        # Below RELATED_FULL_REBUILD_BELOW articles every change rebuilds in full.
        env = install(tmp)
        env.update(RELATED_AFTER_IMPORT="0", RELATED_FULL_REBUILD_BELOW="0")
        first, rest = Path(tmp) / "first.jsonl", Path(tmp) / "rest.jsonl"
        lines = Path(corpus).read_text(encoding="utf-8").splitlines(keepends=True)
        first.write_text("".join(lines[:-held]), encoding="utf-8")
        rest.write_text("".join(lines[-held:]), encoding="utf-8")
        manage(env, "import_articles", str(first), "--no-progress")
        manage(env, "related", "--rebuild", "--no-progress")
        manage(env, "import_articles", str(rest), "--no-progress")
        ids = [r["id"] for r in read_corpus(rest)]
        started = time.perf_counter()
        manage(env, "shell", "--no-imports", "-c", REFRESH_SCRIPT.format(ids=ids))
        seconds = time.perf_counter() - started
        refreshed = exported(env, tmp)
        manage(env, "related", "--rebuild", "--no-progress")
        rebuilt = exported(env, tmp)
    same = [
        len(set(refreshed.get(pk, [])[:4]) & set(top[:4])) / max(1, len(top[:4]))
        for pk, top in rebuilt.items()
    ]
    print(
        f"{Path(corpus).name}, {held} of {len(records)} refreshed one by one "
        f"({seconds:.1f}s): " + ", ".join(scores(records, refreshed)),
        flush=True,
    )
    print(
        f"  the same, rebuilt: {', '.join(scores(records, rebuilt))}; top 4 "
        f"shared with the refreshed lists: {sum(same) / len(same):.3f}",
        flush=True,
    )


def scores(records, lists):
    by_id = {r["id"]: r for r in records}
    precision, recall = [], []
    for source_id, related in lists.items():
        record = by_id.get(source_id)
        if record is None:
            continue
        related = [by_id[r] for r in related[:4] if r in by_id]
        if record.get("category"):
            same = sum(r.get("category") == record["category"] for r in related)
            precision.append(same / 4)
        story = record.get("story_id")
        if story:
            size = sum(r.get("story_id") == story for r in records) - 1
            if size:
                found = sum(r.get("story_id") == story for r in related)
                recall.append(found / min(4, size))
    parts = [f"{len(lists)} lists"]
    if precision:
        parts.append(f"precision@4 {sum(precision) / len(precision):.3f}")
    if recall:
        parts.append(f"story recall@4 {sum(recall) / len(recall):.3f}")
    return parts


def speed(corpus, size):
    with tempfile.TemporaryDirectory(prefix="byline-related-speed-") as tmp:
        env = install(tmp)
        archive = Path(tmp) / "archive.jsonl"
        repeat_corpus(corpus, archive, size, shuffle_copies=True)
        import_seconds, _ = timed(env, "import_articles", str(archive), "--no-progress")
        seconds, summary = timed(env, "related", "--rebuild", "--no-progress")
        peak = re.search(r"peak memory (\d+) MB", summary).group(1)
        cold, warm = manage(
            env, "shell", "--no-imports", "-c", PUBLISH_ONE_SCRIPT.format(n=size // 2)
        ).split()
        load, worker = manage(
            env, "shell", "--no-imports", "-c", WORKER_SCRIPT.format(n=size // 3)
        ).split()
        print(
            f"{size} articles: import (with its own rebuild) {import_seconds:.1f}s, "
            f"rebuild {seconds:.1f}s (peak {peak} MB), one publish with its refresh: "
            f"{cold}s in a fresh process, {warm}s in a running one, {worker}s in a "
            f"worker that loaded the model at start ({load}s)",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpora", nargs="*", default=[str(DEFAULT_CORPUS), str(ECB_CORPUS)]
    )
    parser.add_argument("--sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--refreshed", type=float, metavar="F")
    args = parser.parse_args()
    for corpus in args.corpora:
        quality(corpus)
        if args.refreshed:
            refreshed_quality(corpus, args.refreshed)
    for size in args.sizes:
        speed(args.corpora[0], size)


if __name__ == "__main__":
    main()
