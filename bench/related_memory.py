"""Memory and time of each phase of `related --rebuild` on an existing install.

    .venv/bin/python bench/related_memory.py --dir DIR [--scale K [--rows R]]

DIR is an install made by `bench/archive.py --dir DIR --no-related` (SQLite).
Runs `lists.rebuild()` in this process with its phases wrapped: at the end of
each one it prints the CPU and wall seconds it took, the peak resident memory
reached during it (VmHWM, reset between phases through /proc/self/clear_refs)
and the resident memory left when it ended (VmRSS). Phases: loading the
articles' metadata, learning the vocabulary (bodies read in blocks), the
vectors, the capped index, the neighbour pass (with the densities), writing
the vectors, and choosing, explaining and writing the lists.

`--scale K` (an install whose lists were rebuilt once: its stored vectors are
read) measures instead what a rebuild of K times that archive holds, without
importing it: the articles' metadata read K times over with new ids, the stored
vectors stacked K times as the rebuild stacks its blocks, the corpus, the
capped index, every row's candidate arrays with the first R rows' neighbours
(the pass's work is per block), and the vectors written as the rebuild writes
them, into a list that is dropped (no database write). It leaves out the time of
a real rebuild at that size (learning, vectors, lists), the temporary file's
writes, the lists' choosing (per chunk of 500), and copies are not new texts
(each vector repeated K times: the index's capped terms fill sooner).
"""

import argparse
import os
import sys
import time
from pathlib import Path

# This checkout's code, not the one the virtualenv was installed from (the
# import of `_setup` may import `byline`).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import production_env


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


def scaled(phases, times, rows):
    """The rebuild's held structures at `times` the install's size (see above)."""
    import numpy as np

    from byline.related import corpus as corpus_module
    from byline.related import lists, neighbours, vectors
    from byline.related.engine import KEEP, Corpus
    from byline.related.models import ArticleVector, TextModel

    terms, _ = TextModel.objects.first().load_vocabulary()
    documents, last = [], 0
    for copy in range(times):
        read = corpus_module.load_documents(with_body=False)
        for document in read.values():
            document.id += copy * 10_000_000
            documents.append(document)
        del read
    phases.mark(f"metadata of {len(documents):,} articles")
    stored = dict(ArticleVector.objects.values_list("article_id", "data"))
    base = vectors.from_packed([stored[pk] for pk in sorted(stored)], len(terms))
    del stored
    blocks = (
        base[start : start + lists.BLOCK]
        for copy in range(times)
        for start in range(0, base.shape[0], lists.BLOCK)
    )
    if hasattr(vectors, "stacked"):
        matrix = vectors.stacked(blocks, len(terms))
    else:  # the code before: every block in a list, then vstack
        import scipy.sparse as sp

        matrix = sp.vstack(list(blocks), format="csr", dtype=np.float32)
    del blocks
    phases.mark(f"vectors stacked ({matrix.nnz:,} entries)")
    corpus = Corpus(documents, matrix, terms, {})
    phases.mark("corpus made")
    corpus.index = neighbours.Index.of(corpus.matrix)
    phases.mark(f"capped index ({corpus.index.by_term.nnz:,} postings)")
    nearest = np.full((len(corpus), KEEP), -1, dtype=np.int32)
    closeness = np.zeros((len(corpus), KEEP), dtype=np.float32)
    for found, columns, similarities in neighbours.nearest(
        corpus.matrix, corpus.index.by_term, KEEP
    ):
        nearest[found], closeness[found] = columns, similarities
        if found[-1] + 1 >= rows:
            break
    phases.mark(f"candidate arrays, neighbours of {rows:,} rows")
    batch = getattr(lists, "WRITE_BATCH", len(corpus))
    for start in range(0, len(corpus), batch):
        written = [
            ArticleVector(
                article_id=int(corpus.ids[row]),
                data=ArticleVector.pack(*vectors.row_entries(corpus.matrix, row)),
                density=float(corpus.density[row]),
            )
            for row in range(start, min(start + batch, len(corpus)))
        ]
        last = len(written)
        del written
    phases.mark(f"vectors packed {batch:,} at a time (last batch {last:,})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True)
    parser.add_argument("--scale", type=int, help="K: measure K times the archive")
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    var_dir = Path(args.dir)
    env = production_env(var_dir, RELATED_AFTER_IMPORT="0")
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    import byline

    print(f"code: {Path(byline.__file__).parent}", flush=True)
    from byline.related import lists, neighbours
    from byline.related.models import ArticleVector, RelatedLink

    phases = Phases()
    phases.mark("django set up")
    if args.scale:
        scaled(phases, args.scale, args.rows)
        print(f"peak {max(r[3] for r in phases.rows):,.0f} MB")
        return
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
