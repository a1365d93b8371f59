"""Choose an article's related articles: score, explain, and store the list.

Scoring (see README, "Related articles"): the cosine of the two articles' term
vectors (`vectors.py`), times a time factor (a story from the same week is a
little likelier to be related; an old one still qualifies if the texts are
close), plus small bonuses for the same section, shared tags and a shared
author, less a share of the candidate's neighbourhood density: an article close
to everything (a round-up, a generic explainer, a text of boilerplate) would
otherwise crowd every list, while one close to this article in particular is
the better pick (the "hubness" correction of cross-domain similarity local
scaling, Conneau et al. 2018). Editors' pins come first and blocks never
appear; near-duplicates of the article or of each other are skipped; when the
texts find too little, the newest articles of the same section, then of the
site, fill the list.
"""

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.utils.translation import gettext

from byline.related import reasons, vectors

CANDIDATES = 40
# Below this score (text, time and bonuses together) a pick is noise to a reader.
MIN_SCORE = 0.08
SAME_STORY = 0.5
DUPLICATE = 0.9
SECTION_BONUS = 0.05
TAG_BONUS = 0.03
MAX_TAG_BONUS = 3
AUTHOR_BONUS = 0.02
TIME_FLOOR = 0.8
TIME_SCALE_DAYS = 7.0
FALLBACK_POOL = 20
# Density: the mean text similarity of an article to its this-many nearest
# neighbours (missing neighbours count as zero), weighed against candidates.
NEIGHBOURS = 20
DENSITY_WEIGHT = 0.25
# Candidates a rebuild keeps per article between its two passes.
KEEP = 64


def per_article():
    return settings.RELATED_ARTICLES_COUNT


class Candidates(NamedTuple):
    """Columns and text similarities of one article's strongest candidates."""

    indices: np.ndarray
    data: np.ndarray


def strongest(similarity_row, limit=KEEP):
    """Return the `limit` highest entries of a 1-row CSR as Candidates."""
    cols, sims = similarity_row.indices, similarity_row.data
    if len(cols) > limit:
        top = np.argpartition(-sims, limit)[:limit]
        cols, sims = cols[top], sims[top]
    return Candidates(cols, sims)


def density_of(row, candidates):
    """Mean similarity of the article at `row` to its NEIGHBOURS nearest others."""
    sims = candidates.data[candidates.indices != row]
    if len(sims) > NEIGHBOURS:
        sims = np.partition(sims, len(sims) - NEIGHBOURS)[-NEIGHBOURS:]
    return float(sims.sum()) / NEIGHBOURS


@dataclass
class Pick:
    article_id: int
    score: float
    why: str
    reason: str


class Corpus:
    """The live, public articles as vectors with what scoring needs beside them."""

    def __init__(
        self,
        documents,
        matrix,
        terms,
        section_titles,
        texts=None,
        embeddings=None,
        density=None,
    ):
        self.documents = documents
        # Neighbourhood density of each article (see the module docstring);
        # zeros until a rebuild or refresh has measured it.
        self.density = (
            np.zeros(len(documents), dtype=np.float32)
            if density is None
            else np.asarray(density, dtype=np.float32)
        )
        # Semantic mode: unit sentence embeddings, one row per document, blended
        # into the text similarity with `semantic_weight`.
        self.embeddings = embeddings
        self.semantic_weight = 0.0
        self.matrix = matrix.tocsr()
        self.terms = terms
        self.section_titles = section_titles
        self.ids = np.array([d.id for d in documents], dtype=np.int64)
        self.row_of = {d.id: n for n, d in enumerate(documents)}
        self._texts = texts
        # Reason texts known beforehand ({row: text}: a rebuild reads them per
        # block), and the capped term index refreshes look candidates up in.
        self.reason_texts = {}
        self.index = None
        published = [d.published for d in documents]
        self.published = np.array(
            [np.nan if p is None else p for p in published], dtype=np.float64
        )
        order = sorted(
            range(len(documents)),
            key=lambda n: (-(documents[n].published or -math.inf), -documents[n].id),
        )
        self.latest = order[:FALLBACK_POOL]
        self.latest_by_section = {}
        for n in order:
            pool = self.latest_by_section.setdefault(documents[n].section_id, [])
            if len(pool) < FALLBACK_POOL:
                pool.append(n)

    def __len__(self):
        return len(self.documents)

    def similarities(self, rows):
        """Text similarity of each given row to every article (CSR, rows × all):
        the exact product, for small corpora and tests; lists use `neighbours`,
        which never forms a row against the whole archive."""
        return (self.matrix[rows] @ self.matrix.T).tocsr()

    def texts(self, rows):
        """Return {row: display text} for reasons: headline, standfirst and,
        where the corpus was read with bodies, the body's first lines."""
        if self._texts is not None:
            return {n: self._texts(self.documents[n]) for n in rows}
        known = self.reason_texts
        return {n: known.get(n) or reason_text(self.documents[n]) for n in rows}

    def score(self, row, other, text):
        a, b = self.documents[row], self.documents[other]
        days = abs(self.published[row] - self.published[other])
        time = (
            1.0
            if math.isnan(days)
            else TIME_FLOOR + (1 - TIME_FLOOR) * math.exp(-days / TIME_SCALE_DAYS)
        )
        bonus = 0.0
        if a.section_id is not None and a.section_id == b.section_id:
            bonus += SECTION_BONUS
        bonus += TAG_BONUS * min(len(a.tags & b.tags), MAX_TAG_BONUS)
        if a.authors & b.authors:
            bonus += AUTHOR_BONUS
        return text * time + bonus

    def rank(self, row, other, text):
        """The score that orders `other` in the list of `row`: score less the
        candidate's density (its closeness to everything)."""
        return self.score(row, other, text) - self._crowding(other)

    def _crowding(self, other):
        return DENSITY_WEIGHT * float(self.density[other])

    def choose(
        self, row, similarity_row, pins=(), blocks=frozenset(), count=None, why=True
    ):
        """Return the Picks for the article at `row`, best first (explained
        unless `why` is false: `explain` them later).

        similarity_row: a 1-row CSR of text similarities to every article, or
        its strongest Candidates.
        pins: article ids in the editors' order; blocks: article ids to leave out.
        """
        count = per_article() if count is None else count
        me = self.documents[row]
        picks, taken = [], {me.id}
        for article_id in pins:
            if (
                len(picks) < count
                and article_id in self.row_of
                and article_id not in taken
            ):
                picks.append(
                    Pick(article_id, 0.0, "pinned", gettext("Chosen by our editors"))
                )
                taken.add(article_id)
        excluded = taken | set(blocks)

        cols, sims = strongest(similarity_row, CANDIDATES + len(excluded))
        meaning = sims
        if self.embeddings is not None and self.semantic_weight and len(cols):
            closeness = self.embeddings[cols] @ self.embeddings[row]
            weight = self.semantic_weight
            meaning = (1 - weight) * sims + weight * closeness
        scored = []
        for c, s, m in zip(cols.tolist(), sims.tolist(), meaning.tolist(), strict=True):
            article_id = int(self.ids[c])
            # The floor is on the plain score: density orders candidates, it
            # does not make a close one noise.
            if article_id in excluded:
                continue
            score = self.score(row, c, m)
            if score < MIN_SCORE:
                continue
            scored.append((-(score - self._crowding(c)), article_id, c, s))
        scored.sort()
        # The same text under another headline is not news to the reader.
        scored = [s for s in scored if s[3] < DUPLICATE]
        # Near-duplicates of each other: the first of each is kept.
        chosen = vectors.apart(
            self.matrix, [s[2] for s in scored], count - len(picks), DUPLICATE
        )
        for negative, article_id, _col, _text in (scored[n] for n in chosen):
            picks.append(Pick(article_id, -negative, "text", ""))
            taken.add(article_id)
        chosen_rows = [scored[n][2] for n in chosen]

        if why:
            self.explain(row, picks)
        pinned_rows = [self.row_of[p.article_id] for p in picks if p.why == "pinned"]
        self._fill(
            row, picks, taken | set(blocks), count, [row, *pinned_rows, *chosen_rows]
        )
        return picks

    def explain(self, row, picks):
        """Give the text picks their reasons."""
        me = self.documents[row]
        pending = [p for p in picks if p.why == "text"]
        if not pending:
            return
        rows = [self.row_of[p.article_id] for p in pending]
        texts = self.texts([row, *rows])
        read = {}

        def text_of(n):
            # Each article's text prepared once, and only if a reason needs it.
            if n not in read:
                read[n] = reasons.Text(texts[n])
            return read[n]

        # The terms each pick shares with the article, found in one search.
        in_common = vectors.shared_entries(self.matrix, row, rows)
        for pick, other, (common, products) in zip(
            pending, rows, in_common, strict=True
        ):
            them = self.documents[other]
            shared = sorted(me.tags & them.tags)
            if float(products.sum()) >= SAME_STORY:
                pick.reason = gettext("Same story")
            elif shared:
                names = [me.tag_names.get(t) or them.tag_names.get(t) for t in shared]
                pick.reason = about([n for n in names if n][:2])
            else:
                # Names among the terms that add most to the two texts' likeness.
                order = np.argsort(-products, kind="stable")[: reasons.TERMS_TRIED]
                names = reasons.shared_names(
                    [self.terms[common[i]] for i in order], text_of(row), text_of(other)
                )
                if names:
                    pick.reason = about(names)
                elif them.section_id == me.section_id and them.section_id:
                    title = self.section_titles.get(them.section_id)
                    pick.reason = more_from(title)
                else:
                    pick.reason = gettext("Similar reporting")

    def _fill(self, row, picks, taken, count, shown_rows):
        """Top the list up with the newest of the section, then of the site."""
        if len(picks) >= count:
            return  # most lists: not even the pools' names to translate
        me = self.documents[row]
        title = self.section_titles.get(me.section_id)
        pools = [
            (
                self.latest_by_section.get(me.section_id, []),
                "section",
                more_from(title),
            ),
            (self.latest, "latest", gettext("Latest news")),
        ]
        # Each pooled article once, where it first comes, if not already taken.
        pooled = {}
        for pool, why, reason in pools:
            for n in pool:
                if int(self.ids[n]) not in taken:
                    pooled.setdefault(n, (why, reason))
        rows = list(pooled)
        for n in vectors.apart(
            self.matrix, rows, count - len(picks), DUPLICATE, shown_rows
        ):
            picks.append(Pick(int(self.ids[rows[n]]), 0.0, *pooled[rows[n]]))


# Characters of the body read for reasons: news names who and where first.
REASON_LEAD = 600


def reason_text(document):
    lead = document.body[:REASON_LEAD].rsplit(None, 1)[0] if document.body else ""
    return f"{document.title}\n{document.standfirst}\n{lead}"


# Reasons are stored with the list (related/lists.py), so they are written in
# the site's language when the list is built, with gettext, not gettext_lazy.
def about(words):
    if not words:
        return gettext("Similar reporting")
    if len(words) == 1:
        return gettext("Also about %(topic)s") % {"topic": words[0]}
    return gettext("Also about %(first)s and %(second)s") % {
        "first": words[0],
        "second": words[1],
    }


def more_from(section_title):
    if not section_title:
        return gettext("More from this section")
    return gettext("More from %(section)s") % {"section": section_title}


__all__ = [
    "Candidates",
    "Corpus",
    "Pick",
    "about",
    "density_of",
    "strongest",
    "vectors",
]
