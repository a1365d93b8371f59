"""Each article's nearest articles by text, found in blocks through an inverted index.

Comparing every article with every other costs N² and, done a block of rows at
a time against the whole archive, still holds a similarity row with an entry
for nearly every article that shares one common word. Instead:

- the index keeps, for each term, only the `POSTINGS` articles that weigh it
  most (ties to the older row), so a word in half the archive costs what a
  word in a thousand articles costs; it is built a block of rows at a time,
  never from a whole transposed copy of the matrix;
- a block of `BLOCK` articles looks up its `QUERY_TERMS` strongest terms in
  the index, and the `SHORTLIST` articles that score highest there are scored
  exactly (the full cosine of the two stored vectors);
- the `keep` best of those are returned per article.

Memory is the matrix, the capped index (at most `POSTINGS` entries a term) and
one block's work, whatever the archive's size; time grows with N, not N². On
an archive smaller than `POSTINGS` articles per term and articles of fewer than
`QUERY_TERMS` terms the result is the exact one (tests/test_neighbours.py).
"""

import numpy as np
import scipy.sparse as sp

from byline.related import vectors

POSTINGS = 300
QUERY_TERMS = 32
SHORTLIST = 160
# Rows per block; the exact scores of a block are read from a dense copy of its
# rows, so wide vocabularies get smaller blocks (DENSE_CELLS floats at most).
BLOCK = 128
DENSE_CELLS = 8_000_000
# Matrix entries merged into the index per step while it is built (a step's
# work holds tens of bytes an entry: at 100,000 articles the index's peak was
# 113 MB lower with steps of 1,000,000 than of 4,000,000; bench/README.md).
INDEX_STEP = 1_000_000


class Index:
    """A corpus's capped index (a rebuild makes one and stores it: `postings.py`)."""

    def __init__(self, by_term):
        self.by_term = by_term

    @classmethod
    def of(cls, matrix):
        return cls(capped_index(matrix))


def capped_index(matrix, postings=None):
    """Return the term → articles index (CSR, terms × articles) of a CSR matrix,
    each term keeping its `postings` heaviest articles (ties: the lower row).

    Two passes over the entries, a step of rows at a time, and no sort of them:
    the first counts each term's articles and, for terms with more than
    `postings`, a histogram of their weights; that finds the weight bin where
    each such term's list ends. The second keeps every entry above it, and only
    the entries in that bin are sorted to fill the list exactly."""
    postings = POSTINGS if postings is None else postings
    rows_total, width = matrix.shape
    if rows_total == 0:  # no article left (all unpublished): an empty index
        return sp.csr_matrix((width, 0), dtype=matrix.dtype)
    # Counted a step at a time: bincount copies int32 indices to int64 first,
    # which for the whole matrix at once was 1 GB at a million articles.
    frequency = np.zeros(width, dtype=np.int64)
    for start in range(0, matrix.nnz, INDEX_STEP):
        frequency += np.bincount(
            matrix.indices[start : start + INDEX_STEP], minlength=width
        )
    heavy = np.flatnonzero(frequency > postings)
    slot = np.full(width, -1, dtype=np.int64)
    slot[heavy] = np.arange(len(heavy))
    # Counts fit 32 bits (an archive of fewer than 2**31 articles), and each step
    # adds only the bins it fills: a bincount over every bin of every heavy term
    # made a second whole histogram per step (126 MB each at a million articles).
    histogram = np.zeros(len(heavy) * BINS, dtype=np.int32)
    for terms, _, weights in _steps(matrix):
        at = slot[terms]
        if (inside := at >= 0).any():
            keys, found = np.unique(
                at[inside] * BINS + _bin(weights[inside]), return_counts=True
            )
            histogram[keys] += found.astype(np.int32)
    # Per heavy term: the bin where its list ends, and how many entries lie above.
    counts = histogram.reshape(-1, BINS)
    from_top = np.cumsum(counts[:, ::-1], axis=1, dtype=np.int32)
    reach = np.argmax(from_top >= postings, axis=1)
    last = BINS - 1 - reach
    heavy_rows = np.arange(len(heavy))
    above = from_top[heavy_rows, reach] - counts[heavy_rows, last]
    last_of = np.append(last, -1)  # indexed by slot: -1 (a light term) gives -1
    room = postings - above
    kept, edge, buffered = [], [], 0
    for terms, docs, weights in _steps(matrix):
        at = slot[terms]
        bins = np.where(at >= 0, _bin(weights), 0)
        ends = last_of[at]
        keep = (at < 0) | (bins > ends)
        kept.append((terms[keep], docs[keep], weights[keep]))
        on_edge = (at >= 0) & (bins == ends) & ~keep
        edge.append((terms[on_edge], docs[on_edge], weights[on_edge]))
        buffered += len(edge[-1][0])
        if buffered > EDGE_BUFFER:
            # The edge bins of a large archive hold tens of millions of
            # entries: keep only what can still fill each list as they come.
            edge = [_best_on_edge(edge, slot, room)]
            buffered = len(edge[0][0])
    kept.append(_best_on_edge(edge, slot, room))
    terms, docs, weights = (np.concatenate(part) for part in zip(*kept, strict=True))
    return sp.csr_matrix((weights, (terms, docs)), shape=(width, rows_total))


def _best_on_edge(edge, slot, room):
    """Of [(terms, rows, weights)] entries in their terms' last bins, each term's
    best `room[slot[term]]` (heavier first, then the lower row): the best of a
    union is the best of the best of its parts, so this can run as entries come."""
    terms, docs, weights = (np.concatenate(part) for part in zip(*edge, strict=True))
    order = np.lexsort((docs, -weights, terms))
    terms, docs, weights = terms[order], docs[order], weights[order]
    rank = np.arange(len(terms)) - np.searchsorted(terms, terms, side="left")
    fill = rank < room[slot[terms]]
    return terms[fill], docs[fill], weights[fill]


# Entries of the edge bins held before they are cut to what can fill the lists.
EDGE_BUFFER = 4_000_000
# Weight bins of the index's histogram (weights lie in [0, 1]).
BINS = 1024


def _bin(weights):
    return np.minimum((weights * BINS).astype(np.int64), BINS - 1)


def _steps(matrix):
    """Yield (terms, rows, weights) of the matrix's entries, INDEX_STEP at a time."""
    rows_total = matrix.shape[0]
    step = max(1, INDEX_STEP // max(1, matrix.nnz // max(1, rows_total)))
    for start in range(0, rows_total, step):
        block = matrix[start : start + step]
        rows = np.repeat(
            np.arange(start, start + block.shape[0], dtype=np.int32),
            np.diff(block.indptr),
        )
        yield block.indices.astype(np.int32, copy=False), rows, block.data


def nearest(matrix, index=None, keep=64, progress=None):
    """Yield (rows, indices, similarities) per block: for each row of `rows`, the
    columns of its `keep` nearest rows (itself included) and their cosines, as
    two (len(rows), keep) arrays padded with -1 and 0 where fewer are found."""
    matrix = matrix.tocsr()
    index = capped_index(matrix) if index is None else index
    rows_total, width = matrix.shape
    block = max(1, min(BLOCK, DENSE_CELLS // max(1, width)))
    for start in range(0, rows_total, block):
        rows = np.arange(start, min(start + block, rows_total))
        yield (rows, *nearest_to(matrix, index, matrix[rows], keep))
        if progress:
            progress(len(rows))


def nearest_to(matrix, index, queries, keep=64, shortlist=SHORTLIST):
    """Return (indices, similarities) of the `keep` rows of `matrix` nearest to each
    row of the CSR `queries` (vectors in the matrix's terms), as in `nearest`."""
    queries = queries.tocsr()
    columns = shortlisted(index, queries, shortlist)
    return exactly_nearest(matrix, queries, columns, keep)


def shortlisted(index, queries, limit=SHORTLIST):
    """The columns of `index` (terms × articles) that score highest for each
    query row on its QUERY_TERMS strongest terms: (len(queries), limit), -1
    padded."""
    looked_up = vectors.keep_strongest(queries.tocsr(), QUERY_TERMS) @ index
    return _top(looked_up.tocsr(), limit)


def exactly_nearest(matrix, queries, columns, keep):
    """Of each query's shortlisted `columns` (rows of `matrix`, -1 padded), the
    `keep` with the highest cosines, as (indices, similarities) like `nearest`."""
    return _top_of_dense(columns, _exact(matrix, queries.tocsr(), columns), keep)


def _top(scores, limit):
    """The columns of the `limit` highest entries per row of a CSR, -1 padded."""
    columns = np.full((scores.shape[0], limit), -1, dtype=np.int64)
    for n in range(scores.shape[0]):
        start, end = scores.indptr[n], scores.indptr[n + 1]
        cols, sims = scores.indices[start:end], scores.data[start:end]
        if len(cols) > limit:
            cols = cols[np.argpartition(-sims, limit)[:limit]]
        columns[n, : len(cols)] = cols
    return columns


def _exact(matrix, queries, columns):
    """Cosines of each query with each row of `columns` (0 where padded), read
    from a dense copy of the queries: one gather per candidate entry."""
    dense = queries.toarray()
    pairs = np.flatnonzero(columns.ravel() >= 0)
    candidates = matrix[columns.ravel()[pairs]]
    lengths = np.diff(candidates.indptr)
    query_of = np.repeat(pairs // columns.shape[1], lengths)
    products = dense[query_of, candidates.indices] * candidates.data
    exact = np.zeros(columns.size, dtype=np.float32)
    exact[pairs] = np.bincount(
        np.repeat(np.arange(len(pairs)), lengths), products, minlength=len(pairs)
    )
    return exact.reshape(columns.shape)


def _top_of_dense(columns, values, keep):
    """Each row's `keep` highest (column, value) pairs, best first, -1/0 padded."""
    values = np.where(columns >= 0, values, -np.inf)
    order = np.argsort(-values, axis=1, kind="stable")[:, :keep]
    top_columns = np.take_along_axis(columns, order, axis=1)
    top_values = np.take_along_axis(values, order, axis=1)
    if top_columns.shape[1] < keep:
        pad = keep - top_columns.shape[1]
        top_columns = np.pad(top_columns, ((0, 0), (0, pad)), constant_values=-1)
        top_values = np.pad(top_values, ((0, 0), (0, pad)), constant_values=-np.inf)
    missing = top_columns < 0
    top_values[missing] = 0
    return top_columns, top_values.astype(np.float32)
