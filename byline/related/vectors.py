"""Articles as weighted term vectors: what "the texts say" for related articles.

Each article becomes one L2-normalised vector of TF-IDF weights over its
headline, standfirst and body, each part normalised on its own and then mixed
(the body carries most of the weight: a headline alone is short and often
figurative, but its words still count for more per word than the body's), and
the lead (the body's first words) counted once more: news is written as an
inverted pyramid, so who, what, where and when, the facts that tell one event
from another of the same kind, come first.
Term presence counts rather than raw frequency (a word used ten times is not
ten times the topic), and IDF is raised to a power above one so that rare,
specific words (names, places, events) dominate common newsroom vocabulary.
Vectors keep their strongest terms only, which bounds storage and scoring time.
"""

import tempfile
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

TITLE_WEIGHT = 0.5
STANDFIRST_WEIGHT = 0.5
BODY_WEIGHT = 3.0
LEAD_WEIGHT = 1.0
LEAD_WORDS = 200
IDF_POWER = 1.5
MAX_TERMS = 256
# Words in more than this share of articles say nothing about what one is about.
MAX_DOCUMENT_FREQUENCY = 0.5


# One empty set and one empty mapping shared by every article without tags or
# authors: an empty frozenset costs 216 bytes and an empty dict 64, about half
# of what an untagged article's metadata held (a rebuild holds every article's).
NONE = frozenset()
NO_NAMES = MappingProxyType({})


@dataclass(slots=True)
class Document:
    id: int
    title: str
    standfirst: str
    body: str
    section_id: int | None = None
    published: float | None = None  # days since the epoch
    tags: frozenset = NONE
    authors: frozenset = NONE
    tag_names: Mapping = field(default_factory=lambda: NO_NAMES)


def _vectorizer(**kwargs):
    return TfidfVectorizer(
        binary=True, stop_words="english", dtype=np.float32, **kwargs
    )


def fit(documents):
    """Learn the vocabulary and term weights from documents (any iterable, read
    once, one at a time: only the document frequencies are held); return the
    vectorizer. The same vocabulary and weights as TfidfVectorizer.fit, which
    would hold a count matrix of the whole archive."""
    analyse = _vectorizer().build_analyzer()
    frequencies = Counter()
    count = 0
    for d in documents:
        count += 1
        frequencies.update(set(analyse(f"{d.title}\n{d.standfirst}\n{d.body}")))
    # Document-frequency cut-offs only mean something over a real archive: on a
    # small site a word seen once, or in half the articles, can still be the one
    # two stories share.
    large = count >= 200
    low, high = (2, MAX_DOCUMENT_FREQUENCY * count) if large else (1, count)
    terms = sorted(t for t, n in frequencies.items() if low <= n <= high)
    if not terms:
        # Nothing but stop words (or nothing at all): an empty vocabulary.
        return from_vocabulary([], np.zeros(0, dtype=np.float32))
    seen = np.array([frequencies[t] for t in terms], dtype=np.float32)
    # sklearn's smoothed IDF (as if one more document held every term once),
    # in the float32 of the vectorizer's counts, then raised to IDF_POWER.
    idf = np.log(np.float32(count + 1) / (seen + 1)) + 1
    return from_vocabulary(terms, idf**IDF_POWER)


def from_vocabulary(terms, idf):
    """Rebuild a fitted vectorizer from a stored vocabulary and weights."""
    vectorizer = _vectorizer(vocabulary={t: i for i, t in enumerate(terms)} or None)
    if not terms:
        vectorizer.vocabulary_ = {}
        return vectorizer
    # Fitted on one empty text: the vocabulary is the given one, and the
    # weights learnt from it are replaced by the stored ones.
    vectorizer.fit([""])
    vectorizer.idf_ = np.asarray(idf, dtype=np.float64)
    return vectorizer


def vocabulary(vectorizer):
    """Return (terms in index order, idf weights) of a fitted vectorizer."""
    if not getattr(vectorizer, "vocabulary_", None):
        return [], np.zeros(0, dtype=np.float32)
    terms = [None] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        terms[index] = term
    return terms, vectorizer.idf_.astype(np.float32)


def transform(vectorizer, documents):
    """Return the documents' vectors as a CSR matrix, one row per document."""
    documents = list(documents)
    width = len(getattr(vectorizer, "vocabulary_", {}) or {})
    if not width or not documents:
        return sp.csr_matrix((len(documents), width), dtype=np.float32)
    parts = [
        (TITLE_WEIGHT, [d.title for d in documents]),
        (STANDFIRST_WEIGHT, [d.standfirst for d in documents]),
        (BODY_WEIGHT, [d.body for d in documents]),
        (LEAD_WEIGHT, [lead(d.body) for d in documents]),
    ]
    mixed = sum(w * normalize(vectorizer.transform(texts)) for w, texts in parts)
    return normalize(keep_strongest(sp.csr_matrix(mixed, dtype=np.float32)))


def stacked(blocks, width):
    """Return the CSR blocks (an iterable, read once) stacked as one CSR matrix,
    as `scipy.sparse.vstack` would, holding one block and the result at a time:
    each block's entries go to a temporary file as it comes, and are read back
    into arrays of the final size once every block is made (vstack would hold
    every block and the whole result at once: twice the archive's vectors)."""
    lengths, sizes = [], []
    with tempfile.TemporaryFile() as spill:
        for block in blocks:
            block = block.tocsr()
            lengths.append(np.diff(block.indptr))
            sizes.append(block.nnz)
            spill.write(np.ascontiguousarray(block.indices, dtype=np.int32).data)
            spill.write(np.ascontiguousarray(block.data, dtype=np.float32).data)
            del block  # not held while the next one is made
        rows = sum(len(n) for n in lengths)
        total = sum(sizes)
        index_type = np.int32 if total < 2**31 else np.int64
        indptr = np.zeros(rows + 1, dtype=index_type)
        if rows:
            np.cumsum(np.concatenate(lengths), out=indptr[1:])
        indices = np.empty(total, dtype=np.int32)
        data = np.empty(total, dtype=np.float32)
        spill.seek(0)
        at = 0
        for size in sizes:
            _read_into(spill, indices[at : at + size])
            _read_into(spill, data[at : at + size])
            at += size
    if index_type is np.int64:
        indices = indices.astype(np.int64)
    return sp.csr_matrix((data, indices, indptr), shape=(rows, width))


def _read_into(file, array):
    view = memoryview(array).cast("B")
    while len(view):
        read = file.readinto(view)
        if not read:
            raise OSError("a spilled block ended early")
        view = view[read:]


def lead(text, words=LEAD_WORDS):
    """The first `words` words of text."""
    return " ".join(text.split(None, words)[:words])


def keep_strongest(matrix, limit=None):
    """Keep each row's `limit` largest weights (ties broken by term index)."""
    limit = MAX_TERMS if limit is None else limit
    matrix = matrix.tocsr()
    matrix.sort_indices()
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    rows, cols, vals = [], [], []
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        if end - start > limit:
            # Stable sort on -weight keeps the lower term index on ties.
            top = np.argsort(-data[start:end], kind="stable")[:limit] + start
            top.sort()
        else:
            top = np.arange(start, end)
        rows.append(np.full(len(top), row, dtype=np.int32))
        cols.append(indices[top])
        vals.append(data[top])
    if not rows:
        return sp.csr_matrix(matrix.shape, dtype=np.float32)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=matrix.shape,
        dtype=np.float32,
    )


def row_entries(matrix, row):
    """Return (term indices, weights) of one CSR row."""
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def shared_entries(matrix, row, others):
    """[(term indices, weight products)] that `row` has in common with each of
    the `others` rows, terms in index order: what `np.intersect1d` gives pair
    by pair, in one search for them all."""
    indices, weights = _sorted_entries(matrix, row)
    parts = [_sorted_entries(matrix, other) for other in others]
    if not parts:
        return []
    if not len(indices):
        return [(indices, weights) for _ in parts]
    theirs = np.concatenate([p[0] for p in parts])
    at = np.searchsorted(indices, theirs).clip(max=len(indices) - 1)
    found = indices[at] == theirs
    products = weights[at] * np.concatenate([p[1] for p in parts])
    shared, start = [], 0
    for part in parts:
        end = start + len(part[0])
        keep = found[start:end]
        shared.append((theirs[start:end][keep], products[start:end][keep]))
        start = end
    return shared


def _sorted_entries(matrix, row):
    """`row_entries` in term order (a matrix's rows usually are already)."""
    indices, weights = row_entries(matrix, row)
    if len(indices) > 1 and (indices[1:] < indices[:-1]).any():
        order = np.argsort(indices, kind="stable")
        return indices[order], weights[order]
    return indices, weights


def from_packed(blobs, width):
    """Build a CSR matrix from packed rows (ArticleVector.pack: little-endian int32
    term indices, then as many float32 weights), in one pass over all of them."""
    blobs = [bytes(b) for b in blobs]
    lengths = np.fromiter(
        (len(b) // 8 for b in blobs), dtype=np.int64, count=len(blobs)
    )
    indptr = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    words = np.frombuffer(b"".join(blobs), dtype="<u4")
    # Within each row's 2n words the first n are indices, the next n weights:
    # mark where each row's indices start (+1) and stop (-1), then add up.
    marks = np.zeros(len(words) + 1, dtype=np.int8)
    starts = 2 * indptr[:-1]
    np.add.at(marks, starts, 1)
    np.add.at(marks, starts + lengths, -1)
    is_index = np.cumsum(marks[:-1], dtype=np.int8).view(bool)
    indices = words[is_index].view("<i4")
    data = words[~is_index].view("<f4")
    return sp.csr_matrix((data, indices, indptr), shape=(len(blobs), width))


def apart(matrix, rows, limit, bound, shown=()):
    """Positions in `rows` of the first `limit` rows, in order, whose product
    with each row taken before them, and with each of the `shown` rows, is
    below `bound`: a greedy pass that skips near-duplicates.

    Each row taken is laid out densely over the terms once, and its products
    with every later row are read in one gather (no pair-by-pair intersection)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows) or limit <= 0:
        return []
    starts, ends = matrix.indptr[rows], matrix.indptr[rows + 1]
    lengths = ends - starts
    firsts = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=firsts[1:])
    flat = np.repeat(starts - firsts[:-1], lengths) + np.arange(firsts[-1])
    terms, weights = matrix.indices[flat], matrix.data[flat]
    closest = np.full(len(rows), -np.inf, dtype=np.float32)
    dense = _zeros(matrix.shape[1])

    def take(row, after):
        """Raise the closeness of rows after position `after` by their products
        with `row`."""
        start, stop = matrix.indptr[row], matrix.indptr[row + 1]
        at = firsts[after]
        if stop == start or at == firsts[-1]:
            np.maximum(closest[after:], 0, out=closest[after:])
            return
        dense[matrix.indices[start:stop]] = matrix.data[start:stop]
        try:
            # A zero at the end: a last row without terms starts there.
            each = np.append(dense[terms[at:]] * weights[at:], np.float32(0))
        finally:
            dense[matrix.indices[start:stop]] = 0
        products = np.add.reduceat(each, firsts[after:-1] - at)
        products[lengths[after:] == 0] = 0  # reduceat gives them the next value
        np.maximum(closest[after:], products, out=closest[after:])

    for row in shown:
        take(row, 0)
    taken, position = [], 0
    while len(taken) < limit:
        free = np.flatnonzero(closest[position:] < bound)
        if not len(free):
            break
        position += int(free[0])
        taken.append(position)
        position += 1
        if len(taken) < limit and position < len(rows):
            take(rows[position - 1], position)
    return taken


_buffers = threading.local()


def _zeros(width):
    """A float32 array of zeros of this width for this thread, to be left
    zeroed after use (a new one per list would fault in its pages each time)."""
    dense = getattr(_buffers, "dense", None)
    if dense is None or len(dense) != width:
        dense = _buffers.dense = np.zeros(width, dtype=np.float32)
    return dense
