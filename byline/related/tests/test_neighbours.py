"""Nearest articles in blocks through the capped index."""

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from byline.related import neighbours


def random_matrix(rows=300, width=400, seed=1):
    rng = np.random.default_rng(seed)
    rare = sp.random(rows, width - 3, density=0.05, random_state=rng, dtype=np.float32)
    # A few words every article uses, as newsroom vocabulary is.
    common = sp.csr_matrix(rng.random((rows, 3)).astype(np.float32) * 0.2)
    return normalize(sp.hstack([common, rare], format="csr")).astype(np.float32)


def exact_top(matrix, keep):
    full = (matrix @ matrix.T).toarray()
    tops = []
    for row in full:
        order = np.argsort(-row, kind="stable")[:keep]
        tops.append(set(order[row[order] > 0].tolist()))
    return full, tops


def test_blocks_smaller_than_the_archive_find_the_exact_nearest_rows(monkeypatch):
    """Block by block, through the index, each row gets the exact top rows and
    cosines that the full product gives."""
    monkeypatch.setattr(neighbours, "BLOCK", 7)  # far fewer rows than the archive
    matrix = random_matrix()
    full, tops = exact_top(matrix, 20)
    seen_rows = 0
    for rows, columns, similarities in neighbours.nearest(matrix, keep=20):
        assert len(rows) <= 7
        for row, cols, sims in zip(rows, columns, similarities, strict=True):
            assert set(cols[cols >= 0].tolist()) == tops[row]
            found = cols >= 0
            assert np.allclose(sims[found], full[row, cols[found]], atol=1e-6)
            seen_rows += 1
    assert seen_rows == matrix.shape[0]


def test_a_word_in_every_article_keeps_only_its_heaviest_postings():
    """The index holds at most `postings` articles a term, the ones that weigh it
    most, so a common word costs no more to look up than a rare one."""
    matrix = random_matrix()
    index = neighbours.capped_index(matrix, postings=5)
    assert np.diff(index.indptr).max() == 5
    by_term = matrix.tocsc()
    for term in (0, 1, 2):
        weights = by_term[:, term].toarray().ravel()
        heaviest = np.argsort(-weights, kind="stable")[:5]
        assert sorted(index[term].indices.tolist()) == sorted(heaviest.tolist())


def test_the_index_is_built_a_step_at_a_time_with_the_same_result(monkeypatch):
    """Building the index from a few rows at a time gives the one-step index."""
    matrix = random_matrix()
    whole = neighbours.capped_index(matrix, postings=9)
    monkeypatch.setattr(neighbours, "INDEX_STEP", 50)
    stepped = neighbours.capped_index(matrix, postings=9)
    assert (whole != stepped).nnz == 0


def test_the_index_of_no_articles_is_empty():
    index = neighbours.capped_index(sp.csr_matrix((0, 7), dtype=np.float32))
    assert index.shape == (7, 0) and index.nnz == 0
