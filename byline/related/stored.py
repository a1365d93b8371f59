"""What a refresh reads of the archive: a few articles' vectors, densities and
documents, and their nearest articles through the stored term index.

Nothing here reads every article: each look-up reads the postings of the
queries' strongest terms (`postings.read`), scores the articles found there on
those terms alone, and reads the vectors of each query's shortlist to score it
exactly, as a rebuild does in memory (`neighbours.nearest_to`).
"""

import numpy as np
import scipy.sparse as sp

from byline.related import neighbours, postings, semantic, vectors
from byline.related.corpus import load_documents
from byline.related.engine import Corpus
from byline.related.models import ArticleVector

READ_CHUNK = postings.READ_CHUNK


class Stored:
    """Articles read from the database as a refresh needs them, each once."""

    def __init__(self, terms):
        self.terms = terms
        self.width = len(terms)
        self.entries = {}  # article id → (term indices, weights)
        self.density = {}
        self.embeddings = {}
        self.documents = {}

    def read_vectors(self, ids):
        wanted = sorted({int(pk) for pk in ids} - self.entries.keys())
        for start in range(0, len(wanted), READ_CHUNK):
            rows = ArticleVector.objects.filter(
                article_id__in=wanted[start : start + READ_CHUNK]
            ).values_list("article_id", "data", "density", "embedding")
            for pk, data, density, embedding in rows:
                self.entries[pk] = ArticleVector.unpack(data)
                self.density[pk] = density
                if embedding is not None:
                    self.embeddings[pk] = semantic.unpack(embedding)

    def read_documents(self, ids):
        """Read the live, public ones of `ids` (the others stay unknown)."""
        wanted = sorted({int(pk) for pk in ids} - self.documents.keys())
        for start in range(0, len(wanted), READ_CHUNK):
            chunk = wanted[start : start + READ_CHUNK]
            self.documents.update(load_documents(with_body=False, ids=chunk))

    def matrix(self, ids):
        """The vectors of `ids` (all read) as CSR rows in that order."""
        parts = [self.entries[pk] for pk in ids]
        lengths = np.array([len(p[0]) for p in parts], dtype=np.int64)
        indptr = np.zeros(len(parts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        if not parts:
            return sp.csr_matrix((0, self.width), dtype=np.float32)
        return sp.csr_matrix(
            (
                np.concatenate([p[1] for p in parts]).astype(np.float32),
                np.concatenate([p[0] for p in parts]).astype(np.int32),
                indptr,
            ),
            shape=(len(parts), self.width),
        )

    def nearest(self, ids, keep, shortlist=neighbours.SHORTLIST, also=()):
        """Return {id: (ids of its `keep` nearest articles, their cosines)}, best
        first, for each of `ids` that has a vector (itself among them when the
        index holds it). The articles `also` are scored for every query, found
        in the index or not: the one a refresh follows joins lists through its
        own terms, which their look-ups may not reach in a full list."""
        self.read_vectors([*ids, *also])
        ids = [pk for pk in ids if pk in self.entries]
        also = [pk for pk in also if pk in self.entries]
        if not ids:
            return {}
        queries = self.matrix(ids)
        index, found, terms = self._index_for(queries)
        columns = neighbours.shortlisted(index, queries, shortlist)
        listed = np.unique(columns[columns >= 0])
        self.read_vectors(found[listed].tolist())
        # A deleted article's vector went with it, and no refresh could name
        # its terms: it leaves the postings where a look-up meets it.
        known = np.array([int(pk) in self.entries for pk in found[listed]], dtype=bool)
        if not known.all():
            postings.drop(found[listed[~known]].tolist(), terms)
        listed = listed[known]
        position = np.full(len(found) + 1, -1, dtype=np.int64)
        position[listed] = np.arange(len(listed))
        columns = position[columns]  # -1 stays -1 (the extra last slot)
        candidates = found[listed]
        if also:
            listed_ids = set(candidates.tolist())
            extra = [pk for pk in also if pk not in listed_ids]
            candidates = np.concatenate([candidates, np.array(extra, dtype=np.int64)])
            at = {pk: n for n, pk in enumerate(candidates.tolist())}
            scored = np.array([at[pk] for pk in also], dtype=np.int64)
            columns[np.isin(columns, scored)] = -1
            columns = np.hstack([columns, np.tile(scored, (len(columns), 1))])
        cols, sims = neighbours.exactly_nearest(
            self.matrix(candidates.tolist()), queries, columns, keep
        )
        return {
            pk: (candidates[c[c >= 0]], s[c >= 0])
            for pk, c, s in zip(ids, cols, sims, strict=True)
        }

    def _index_for(self, queries):
        """The stored postings of the queries' strongest terms, as an index
        (terms × the articles found), those articles' ids, and the terms."""
        strongest = vectors.keep_strongest(queries, neighbours.QUERY_TERMS)
        lists = postings.read(np.unique(strongest.indices))
        if not lists:
            empty = sp.csr_matrix((self.width, 0), dtype=np.float32)
            return empty, np.zeros(0, dtype=np.int64), []
        terms = np.concatenate(
            [
                np.full(len(ids), term, dtype=np.int64)
                for term, (ids, _) in lists.items()
            ]
        )
        ids = np.concatenate([ids for ids, _ in lists.values()]).astype(np.int64)
        weights = np.concatenate([w for _, w in lists.values()])
        found, column = np.unique(ids, return_inverse=True)
        index = sp.csr_matrix(
            (weights, (terms, column)), shape=(self.width, len(found))
        )
        return index, found, list(lists)

    def corpus(self, ids, section_titles):
        """An engine Corpus of the given articles that are live and have vectors
        (ids in order), with their stored densities."""
        ids = sorted(
            pk for pk in set(ids) if pk in self.documents and pk in self.entries
        )
        corpus = Corpus(
            [self.documents[pk] for pk in ids],
            self.matrix(ids),
            self.terms,
            section_titles,
            density=[self.density.get(pk, 0.0) for pk in ids],
        )
        if semantic.enabled() and ids and all(pk in self.embeddings for pk in ids):
            corpus.embeddings = np.vstack([self.embeddings[pk] for pk in ids])
            corpus.semantic_weight = semantic.weight()
        return corpus
