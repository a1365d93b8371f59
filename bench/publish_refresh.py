"""One publish with its related refresh, on an archive that bench/archive.py made.

    .venv/bin/python bench/publish_refresh.py --dir DIR [--runs 5]
        [--against CHECKOUT]

Each run publishes three edited articles (a new headline each), timing
`revision.publish()`, which runs the related refresh inside it (the immediate task
backend), in two new processes:
- **cold**: a process whose first work is the publish, so it also imports numpy,
  scipy and scikit-learn and reads the text model;
- **worker**: a process that first does what `run_worker` does before taking tasks
  (`warm()`: those imports and the text model, timed apart), then publishes: a
  freshly started worker's first refresh;
- **running**: a second publish in that same process.
Each run takes other articles, spread over the archive.

With `--against`, every run is made with this checkout's code and then with the
other checkout's (a worktree of the code before, say), on the same database, so
that both meet the same load on a shared machine. Prints, per code, the median
and the highest time of each.
"""

import argparse
import json
import os
import statistics
import subprocess
from pathlib import Path

from _setup import ROOT, production_env

SCRIPT = """
import time
from byline.news.models import ArticlePage
times = []
if {warm}:
    started = time.perf_counter()
    try:
        from byline.related.refreshing import warm
    except ImportError:  # the code before refreshes were read from the store
        from byline.related.corpus import warm
    warm()
    times.append(time.perf_counter() - started)
articles = ArticlePage.objects.live().exclude(source_id=None).order_by("pk")
for n in {articles}:
    article = articles[n]
    article.title = article.title + " (updated)"
    revision = article.save_revision()
    started = time.perf_counter()
    revision.publish()  # the immediate task backend refreshes related lists here
    times.append(time.perf_counter() - started)
print(" ".join(f"{{t:.3f}}" for t in times))
"""
KINDS = ("cold", "warm()", "worker", "running")


def archive_env(var_dir):
    env = production_env(var_dir, RELATED_AFTER_IMPORT="0")
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    state = var_dir / "bench-database.json"
    if state.exists():  # made by archive.py --postgres
        env["DATABASE_URL"] = json.loads(state.read_text())["url"]
    return env


def run(checkout, env, warm, articles):
    out = subprocess.run(
        [
            str(checkout / ".venv" / "bin" / "python"),
            str(checkout / "manage.py"),
            "shell",
            "--no-imports",
            "-c",
            SCRIPT.format(warm=warm, articles=tuple(articles)),
        ],
        cwd=checkout,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    return [float(t) for t in out.split()]


def one_run(checkout, env, first, stride):
    """[cold, warm(), worker, running] seconds, three articles `stride` apart."""
    cold = run(checkout, env, False, [first])
    return cold + run(checkout, env, True, [first + stride, first + 2 * stride])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True, help="an install made by archive.py")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", help="another checkout, run alternately")
    parser.add_argument("--stride", type=int, default=331, help="articles apart")
    args = parser.parse_args()
    env = archive_env(Path(args.dir))
    checkouts = {"this code": ROOT}
    if args.against:
        checkouts["--against"] = Path(args.against).resolve()
    times = {name: {kind: [] for kind in KINDS} for name in checkouts}
    for number in range(args.runs):
        for position, (name, checkout) in enumerate(checkouts.items()):
            # Each code edits its own articles: the same ones twice would find
            # lists the other code had just refreshed.
            first = 7 + (number * len(checkouts) + position) * 3 * args.stride
            taken = one_run(checkout, env, first, args.stride)
            for kind, seconds in zip(KINDS, taken, strict=True):
                times[name][kind].append(seconds)
            shown = ", ".join(
                f"{kind} {seconds:.3f} s"
                for kind, seconds in zip(KINDS, taken, strict=True)
            )
            print(f"run {number + 1} {name}: {shown}", flush=True)
    for name, kinds in times.items():
        shown = "; ".join(
            f"{kind} median {statistics.median(found):.3f} s, max {max(found):.3f} s"
            for kind, found in kinds.items()
        )
        print(f"{name}: {shown} ({args.runs} runs, load {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
