"""Memory and time of each phase of `related --rebuild` on an existing install.

    .venv/bin/python bench/related_memory.py --dir DIR [--phases-only]

DIR is an install made by `bench/archive.py --dir DIR --no-related` (SQLite).
Runs `lists.rebuild()` in this process with its phases wrapped: at the end of
each one it prints the CPU and wall seconds it took, the peak resident memory
reached during it (VmHWM, reset between phases through /proc/self/clear_refs)
and the resident memory left when it ended (VmRSS). Phases: loading the
articles' metadata, learning the vocabulary (bodies read in blocks), the
vectors, the capped index, the neighbour pass (with the densities), writing
the vectors, and choosing, explaining and writing the lists.
"""

import argparse
import os
import sys
import time
from pathlib import Path

from _setup import ROOT, production_env


def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # MB
    return 0.0


class Phases:
    def __init__(self):
        self.rows = []
        self.start = self._now()
        self._reset()

    @staticmethod
    def _now():
        return time.process_time(), time.perf_counter()

    @staticmethod
    def _reset():
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass

    def mark(self, name):
        cpu, wall = self._now()
        row = (name, cpu - self.start[0], wall - self.start[1])
        row += (status("VmHWM"), status("VmRSS"))
        self.rows.append(row)
        print(
            f"{name:<34} CPU {row[1]:8.1f} s  wall {row[2]:8.1f} s  "
            f"peak {row[3]:8,.0f} MB  after {row[4]:8,.0f} MB",
            flush=True,
        )
        self._reset()
        self.start = self._now()


def wrap(phases, owner, name, label, generator=False, each=False):
    """Replace owner.name by a version that marks a phase when it returns (or,
    for a generator, when it is exhausted); `each`: one phase for all calls,
    marked when the next phase is."""
    original = getattr(owner, name)

    if generator:

        def wrapped(*args, **kwargs):
            yield from original(*args, **kwargs)
            phases.mark(label)

    else:

        def wrapped(*args, **kwargs):
            result = original(*args, **kwargs)
            if not each:
                phases.mark(label)
            return result

    setattr(owner, name, wrapped)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    var_dir = Path(args.dir)
    env = production_env(var_dir, RELATED_AFTER_IMPORT="0")
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from byline.related import lists, neighbours
    from byline.related.models import ArticleVector, RelatedLink

    phases = Phases()
    phases.mark("django set up")
    first_load = [True]
    load = lists.load_documents

    def load_documents(*a, **kw):
        result = load(*a, **kw)
        if first_load[0]:
            first_load[0] = False
            phases.mark("articles' metadata loaded")
        return result

    lists.load_documents = load_documents
    fit = lists.vectors.fit

    def fit_marked(documents):
        result = fit(documents)
        phases.mark("vocabulary learnt (bodies read)")
        return result

    lists.vectors.fit = fit_marked
    wrap(phases, lists, "_vectorise_all", "vectors made")
    wrap(phases, lists, "Corpus", "corpus made (ids, order, pools)")
    wrap(phases, neighbours.Index, "of", "capped index")
    wrap(phases, neighbours, "nearest", "neighbours and densities", generator=True)
    delete = RelatedLink.objects.all

    def related_links_all():
        phases.mark("vectors written")
        return delete()

    RelatedLink.objects.all = related_links_all
    count = lists.rebuild()
    phases.mark("lists chosen and written")
    peak = max(r[3] for r in phases.rows)
    cpu = sum(r[1] for r in phases.rows)
    wall = sum(r[2] for r in phases.rows)
    print(
        f"{count:,} articles: CPU {cpu:.1f} s, wall {wall:.1f} s, "
        f"peak {peak:,.0f} MB; ArticleVector rows {ArticleVector.objects.count():,}"
    )


if __name__ == "__main__":
    main()
