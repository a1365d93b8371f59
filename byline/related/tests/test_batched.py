"""The rebuild's batched steps give what their pair-by-pair forms gave.

Near-duplicate checks (`vectors.apart`) and the terms two articles share
(`vectors.shared_entries`) were numpy calls per pair of articles; they are now
made for a whole list at once. The references below are the pair-by-pair code
of 2026-12-05 (`engine.Corpus.choose`, `_too_close`, `_shared`, `_fill`).
"""

import random

import numpy as np
import pytest
import scipy.sparse as sp

from byline.related import vectors
from byline.related.engine import CANDIDATES, DUPLICATE, MIN_SCORE, Pick, strongest
from byline.related.reasontexts import ReasonTexts
from byline.related.tests.test_engine import corpus_of, doc


def dot(matrix, a, b):
    ia, wa = vectors.row_entries(matrix, a)
    ib, wb = vectors.row_entries(matrix, b)
    _, at_a, at_b = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    return float((wa[at_a] * wb[at_b]).sum())


def greedy_pair_by_pair(matrix, rows, limit, bound, shown=()):
    taken, kept = [], list(shown)
    for n, row in enumerate(rows):
        if len(taken) >= limit:
            break
        if kept and any(dot(matrix, row, other) >= bound for other in kept):
            continue
        taken.append(n)
        kept.append(row)
    return taken


def clustered_matrix(seed, rows=120, width=400):
    """Unit rows in clusters of near-copies, some rows without terms, some of
    one term."""
    rng = np.random.default_rng(seed)
    dense = np.zeros((rows, width), dtype=np.float32)
    for n in range(rows):
        if n % 10 == 0:
            base = np.zeros(width, dtype=np.float32)
            base[rng.choice(width, 30, replace=False)] = rng.random(30)
        if n % 17 == 5:
            continue  # an article without terms
        if n % 13 == 7:  # an article of one term (of three)
            dense[n, n % 3] = 1.0
            continue
        row = base.copy()
        row[rng.choice(width, int(rng.integers(1, 12)), replace=False)] += (
            rng.random(1)[0] * rng.random(int(rng.integers(1, 12)))[0]
        )
        dense[n] = row / max(np.linalg.norm(row), 1e-9)
    return sp.csr_matrix(dense)


@pytest.mark.parametrize("seed", range(5))
def test_apart_takes_what_the_pair_by_pair_greedy_takes(seed):
    matrix = clustered_matrix(seed)
    picked = random.Random(seed)
    exercised = 0
    for _ in range(200):
        rows = [picked.randrange(matrix.shape[0]) for _ in range(picked.randint(0, 45))]
        shown = [picked.randrange(matrix.shape[0]) for _ in range(picked.randint(0, 4))]
        limit = picked.randint(0, 6)
        bound = picked.choice([DUPLICATE, 0.5, 0.97])
        expected = greedy_pair_by_pair(matrix, rows, limit, bound, shown)
        assert vectors.apart(matrix, rows, limit, bound, shown) == expected
        exercised += len(rows) - len(expected) > limit  # some were skipped
    assert exercised > 50


def test_shared_entries_are_the_pairs_intersections():
    matrix = clustered_matrix(7)
    for row in (0, 5, 7, 22):  # 5 and 22 have no terms, 7 has one
        others = [1, 5, 9, 22, 40, 0]
        for (common, products), other in zip(
            vectors.shared_entries(matrix, row, others), others, strict=True
        ):
            ia, wa = vectors.row_entries(matrix, row)
            ib, wb = vectors.row_entries(matrix, other)
            terms, at_a, at_b = np.intersect1d(
                ia, ib, assume_unique=True, return_indices=True
            )
            assert common.tolist() == terms.tolist()
            assert products.tolist() == (wa[at_a] * wb[at_b]).tolist()
    assert vectors.shared_entries(matrix, 0, []) == []


def choose_pair_by_pair(
    corpus, row, similarity_row, pins=(), blocks=frozenset(), skipped=None
):
    """`Corpus.choose` of 2026-12-05, near-duplicates checked pair by pair."""
    count, me = 4, corpus.documents[row]
    picks, taken = [], {me.id}
    for article_id in pins:
        if (
            len(picks) < count
            and article_id in corpus.row_of
            and article_id not in taken
        ):
            picks.append(Pick(article_id, 0.0, "pinned", "Chosen by our editors"))
            taken.add(article_id)
    excluded = taken | set(blocks)
    cols, sims = strongest(similarity_row, CANDIDATES + len(excluded))
    scored = []
    for c, s in zip(cols.tolist(), sims.tolist(), strict=True):
        article_id = int(corpus.ids[c])
        if article_id in excluded or corpus.score(row, c, s) < MIN_SCORE:
            continue
        scored.append(
            (-(corpus.score(row, c, s) - corpus._crowding(c)), article_id, c, s)
        )
    scored.sort()
    chosen_rows = []
    for negative, article_id, col, text in scored:
        if len(picks) >= count:
            break
        if text >= DUPLICATE:
            continue
        if any(dot(corpus.matrix, col, other) >= DUPLICATE for other in chosen_rows):
            if skipped is not None:
                skipped.append(col)
            continue
        chosen_rows.append(col)
        picks.append(Pick(article_id, -negative, "text", ""))
        taken.add(article_id)
    corpus.explain(row, picks)
    pinned = [corpus.row_of[p.article_id] for p in picks if p.why == "pinned"]
    shown, taken = [row, *pinned, *chosen_rows], taken | set(blocks)
    section = corpus.latest_by_section.get(me.section_id, [])
    for pool, why in ((section, "section"), (corpus.latest, "latest")):
        for n in pool:
            article_id = int(corpus.ids[n])
            if len(picks) >= count or article_id in taken:
                continue
            if any(dot(corpus.matrix, n, other) >= DUPLICATE for other in shown):
                continue
            picks.append(Pick(article_id, 0.0, why, ""))
            taken.add(article_id)
            shown.append(n)
    return picks


def test_choose_picks_what_the_pair_by_pair_choose_picked():
    """A seeded newsroom of stories, each told several times in nearly the same
    words (near-duplicates of each other), some articles with pins and blocks."""
    rng = random.Random(11)
    words = [f"w{n}" for n in range(300)]
    documents = []
    for story in range(30):
        core = rng.sample(words, 25)
        for copy in range(rng.randint(1, 6)):
            extra = rng.sample(words, rng.choice([1, 3, 12]))
            documents.append(
                doc(
                    len(documents) + 1,
                    f"Story {story}",
                    " ".join(core + extra),
                    section=1 + story % 3,
                    published=20000.0 + rng.randint(0, 30),
                    tags={story % 4} if copy % 2 else (),
                )
            )
    for lone in range(12):  # stories told once, in words of their own
        documents.append(
            doc(
                len(documents) + 1,
                f"Lone {lone}",
                " ".join(f"lone{lone}x{n}" for n in range(20)),
                section=1 + lone % 3,
                published=20000.0 + lone,
            )
        )
    corpus = corpus_of(documents)
    corpus.density[:] = np.random.default_rng(3).random(len(documents)) * 0.2
    fills, skipped = 0, []
    for row in range(len(corpus)):
        similarity_row = corpus.similarities([row])[0]
        pins = [rng.randrange(1, len(documents) + 1)] if row % 7 == 0 else ()
        blocks = {rng.randrange(1, len(documents) + 1)} if row % 5 == 0 else set()
        got = corpus.choose(row, similarity_row, pins=pins, blocks=blocks)
        expected = choose_pair_by_pair(
            corpus, row, similarity_row, pins, blocks, skipped
        )
        assert [(p.article_id, p.why, p.score) for p in got] == [
            (p.article_id, p.why, p.score) for p in expected
        ]
        assert [p.reason for p in got if p.why in ("text", "pinned")] == [
            p.reason for p in expected if p.why in ("text", "pinned")
        ]
        fills += any(p.why in ("section", "latest") for p in got)
    # Both paths were exercised: candidates skipped as near-duplicates of a
    # pick, and lists topped up from the pools.
    assert len(skipped) > 20 and fills > 5


def test_reason_texts_read_back_as_written():
    texts = ReasonTexts()
    documents = [
        doc(1, "Zürich → Kyiv", "Ünïcode body " * 80),
        doc(2, "No body", ""),
        doc(3, "Third", "Short body."),
    ]
    texts.add(documents[:2])
    texts.add(documents[2:])
    assert texts.get(0) is None  # not readable before `finish`
    texts.finish()
    from byline.related.engine import reason_text

    assert [texts.get(n) for n in range(3)] == [reason_text(d) for d in documents]
    assert texts.get(3) is None and texts.get(-1, "x") == "x"
    texts.close()


def test_shared_entries_of_rows_stored_out_of_term_order():
    ordered = clustered_matrix(8)
    shuffled = ordered.copy()
    rng = np.random.default_rng(8)
    for row in range(shuffled.shape[0]):  # each row's entries in another order
        span = slice(shuffled.indptr[row], shuffled.indptr[row + 1])
        order = rng.permutation(span.stop - span.start)
        shuffled.indices[span] = shuffled.indices[span][order]
        shuffled.data[span] = shuffled.data[span][order]
    others = [1, 2, 3, 9, 22]
    for (common, products), (expected_terms, expected) in zip(
        vectors.shared_entries(shuffled, 0, others),
        vectors.shared_entries(ordered, 0, others),
        strict=True,
    ):
        assert common.tolist() == expected_terms.tolist()
        assert products.tolist() == expected.tolist()
