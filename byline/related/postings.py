"""The capped index, kept in the database: for each term, the articles that weigh
it most (`neighbours.capped_index`, at most `neighbours.POSTINGS` a term).

A rebuild stores the index it made (`store`); each refresh takes its article out
of the lists of its old terms and puts it into those of its new terms where it
weighs enough (`move`). A refresh then finds any article's candidates by reading
the postings of its strongest terms (`read`) and the vectors of a shortlist:
what it reads is bounded by terms and shortlists, never by the archive, so a
freshly started worker refreshes as fast as a running one (bench/README.md,
"one publish at a million").

An article taken out of a full list leaves a free place that the article the
rebuild cut off would have taken; the list stays one short until the next
rebuild or until a refresh puts an article there.
"""

import logging

import numpy as np
from django.db import transaction
from django.db.models import F

from byline.related import neighbours
from byline.related.models import ArticleVector, TermPostings, TextModel

logger = logging.getLogger(__name__)
# Ids in one IN list (SQLite's default limit on bound values is 32,766).
READ_CHUNK = 5000
WRITE_BATCH = 5000
NOTHING = (np.zeros(0, dtype="<i4"), np.zeros(0, dtype="<f4"))


def _serialised():
    """Take the write lock every change to the postings takes first: a row lock
    on the text model on PostgreSQL, the database's write lock on SQLite. Two
    refreshes (or a refresh and a rebuild's `store`) then change a term's list
    one after the other; each otherwise rewrote the list it had read, and the
    later one dropped what the earlier had added."""
    TextModel.objects.update(documents=F("documents"))


def store(index, ids):
    """Replace the stored postings by a capped index (CSR, terms × corpus rows)
    whose columns are the articles `ids`."""
    index = index.tocoo()
    # Each term's entries heaviest first, ties to the lower row (as the index
    # keeps them), in one sort of every entry rather than one per term.
    order = np.lexsort((index.col, -index.data, index.row))
    terms, rows, weights = index.row[order], index.col[order], index.data[order]
    ids = np.asarray(ids, dtype=np.int64)[rows]
    starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]]) if len(terms) else []
    ends = np.r_[starts[1:], len(terms)] if len(terms) else []
    with transaction.atomic():
        _serialised()
        TermPostings.objects.all().delete()
        batch = []
        for start, end in zip(starts, ends, strict=True):
            batch.append(
                TermPostings(
                    term=int(terms[start]),
                    data=ArticleVector.pack(ids[start:end], weights[start:end]),
                )
            )
            if len(batch) == WRITE_BATCH:
                TermPostings.objects.bulk_create(batch)
                batch = []
        TermPostings.objects.bulk_create(batch)


def store_from_vectors(terms, idf):
    """Make and store the index from the stored vectors: once, for an archive
    whose last rebuild predates stored postings. Returns the articles indexed."""
    from byline.related.corpus import corpus_from_vectors  # noqa: PLC0415 (cycle)

    logger.info("related: storing the term index from the stored vectors")
    corpus = corpus_from_vectors(terms, idf)
    store(neighbours.capped_index(corpus.matrix), corpus.ids)
    return len(corpus)


def missing():
    """Whether articles have vectors but no postings were ever stored for them."""
    return (
        not TermPostings.objects.exists()
        and ArticleVector.objects.exclude(data=b"").exists()
    )


def read(terms):
    """Return {term: (article ids, weights), heaviest first} of the given terms
    that have postings."""
    found = {}
    terms = sorted({int(t) for t in terms})
    rows = TermPostings.objects.all()
    for start in range(0, len(terms), READ_CHUNK):
        chunk = terms[start : start + READ_CHUNK]
        for term, data in rows.filter(term__in=chunk).values_list("term", "data"):
            found[term] = ArticleVector.unpack(data)
    return found


def move(article_id, old_terms, new_terms=(), new_weights=()):
    """Take an article out of the postings of `old_terms` and put it into those
    of `new_terms` where its weight is among the term's POSTINGS heaviest."""
    weight_of = dict(
        zip(
            np.asarray(new_terms).tolist(),
            np.asarray(new_weights).tolist(),
            strict=True,
        )
    )
    terms = set(np.asarray(old_terms).tolist()) | set(weight_of)
    with transaction.atomic():
        _serialised()
        current = read(terms)
        changed, emptied = [], []
        for term in sorted(terms):
            ids, weights = current.get(term, NOTHING)
            kept = ids != article_id
            ids, weights = ids[kept], weights[kept]
            weight = weight_of.get(term)
            if weight is not None and (
                len(ids) < neighbours.POSTINGS or weight > weights[-1]
            ):
                # After articles of the same weight: ties go to the older.
                at = int(np.searchsorted(-weights, -weight, side="right"))
                ids = np.insert(ids, at, article_id)[: neighbours.POSTINGS]
                weights = np.insert(weights, at, weight)[: neighbours.POSTINGS]
            before_ids, before_weights = current.get(term, NOTHING)
            if np.array_equal(ids, before_ids) and np.array_equal(
                weights, before_weights
            ):
                continue  # not in the list, and not heavy enough to join it
            if len(ids):
                changed.append(
                    TermPostings(term=term, data=ArticleVector.pack(ids, weights))
                )
            else:
                emptied.append(term)
        _write_back(changed, emptied)


def drop(gone, terms):
    """Take the articles `gone` out of the postings of `terms`, where a look-up
    found them without a vector (deleted while no refresh could follow)."""
    gone = np.asarray(sorted(gone), dtype=np.int64)
    with transaction.atomic():
        _serialised()
        changed, emptied = [], []
        for term, (ids, weights) in read(terms).items():
            kept = ~np.isin(ids, gone)
            if kept.all():
                continue
            if kept.any():
                changed.append(
                    TermPostings(
                        term=term, data=ArticleVector.pack(ids[kept], weights[kept])
                    )
                )
            else:
                emptied.append(term)
        _write_back(changed, emptied)


def _write_back(changed, emptied):
    """Replace the rows of the `changed` terms and delete those of `emptied`."""
    TermPostings.objects.filter(term__in=[p.term for p in changed] + emptied).delete()
    TermPostings.objects.bulk_create(changed)
