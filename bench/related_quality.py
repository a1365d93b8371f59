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


def quality(corpus):
    records = read_corpus(corpus)
    with tempfile.TemporaryDirectory(prefix="byline-related-") as tmp:
        env = install(tmp)
        manage(env, "import_articles", str(corpus), "--no-progress")
        seconds, summary = timed(env, "related", "--rebuild", "--no-progress")
        export = Path(tmp) / "related.jsonl"
        manage(env, "related", "--export", str(export))
        lists = {
            row["id"]: row["related"]
            for row in map(json.loads, export.read_text().splitlines())
        }
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
    parts = [f"{Path(corpus).name}: {len(lists)} lists"]
    if precision:
        parts.append(f"precision@4 {sum(precision) / len(precision):.3f}")
    if recall:
        parts.append(f"story recall@4 {sum(recall) / len(recall):.3f}")
    parts.append(f"rebuild {seconds:.1f}s")
    print(", ".join(parts), flush=True)


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
    args = parser.parse_args()
    for corpus in args.corpora:
        quality(corpus)
    for size in args.sizes:
        speed(args.corpora[0], size)


if __name__ == "__main__":
    main()
