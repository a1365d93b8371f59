"""Bounded work per SQLite search, however many articles match.

Three costs grew with the archive (bench/README.md, "the million, on SQLite",
and "2026-12-06 (fourth session): SQLite search at a million"):

- `COUNT(*)` visited every match. It now stops at COUNT_LIMIT + 1, as on
  PostgreSQL: past that the total is "more than COUNT_LIMIT".
- bm25() scores every match before LIMIT, about 3 µs a row (130,000 matches:
  190 ms). Past RANK_POOL matches, only the newest RANK_POOL are ranked: FTS5
  walks its lists newest first and stops, and the ranking then reads that
  range of ids alone. Below it the ranking is exact, as before. (A pool of
  chosen ids cannot be ranked instead: FTS5 answers `rowid IN (…)` one id at a
  time, each recounting the words' articles, 6 s for 300 ids of "said".)
- bm25() counts, once per statement, the articles holding each word (its
  inverse document frequency), walking the word's whole list. Words too common
  to rank in whole articles (engine.common_terms) were matched in headlines
  only, but that walk still read every article holding them: 130 ms for
  "apologised" at a million. They are now ranked in a table of headlines alone
  (sqlite_schema.HEADLINES_TABLE), whose lists hold headline words only, with
  the headline's weight. bm25 is a sum over the query's words, so an article's
  score is the sum of its two parts, as in one table; only the length each
  part is normalised by differs (the headline's rather than the article's).
"""

from typing import NamedTuple

from django.db import connection

from byline.search.shared import COUNT_LIMIT, newer_first_among_equals
from byline.search.sqlite_schema import (
    FACTS_TABLE,
    HEADLINE_WEIGHTS,
    HEADLINES_TABLE,
    MARK_END,
    MARK_START,
    TABLE,
    WEIGHTS,
)

# Matches ranked exactly; past this, the newest this many (and never fewer than
# a page reaches).
RANK_POOL = 2000
# Extra rows ranked beyond a page so that near-ties at its edge are ordered right.
TIE_MARGIN = 20
# Each part's best rows merged: more than a page, as an article's best part may
# be ranked below the page in the other table.
MERGE_FACTOR = 4


class Match(NamedTuple):
    """A query for the two tables: words and phrases searched in whole articles
    (`articles`), common words searched in headlines (`headlines`), and all of
    them at once in a headline (`whole_headline`)."""

    articles: str
    headlines: str = ""
    whole_headline: str = ""

    @property
    def anywhere(self):
        """The whole query for the articles' table (snippets)."""
        parts = [self.articles] if self.articles else []
        if self.headlines:
            parts.append(f"{{title}} : ({self.headlines})")
        return " OR ".join(parts)

    def parts(self):
        """Return (table, expression, bm25 weights) of each table searched."""
        found = [(TABLE, self.articles, WEIGHTS)]
        found.append((HEADLINES_TABLE, self.headlines, HEADLINE_WEIGHTS))
        return [part for part in found if part[1]]


def quoted(text):
    return '"' + text.replace('"', "") + '"'


def match_expression(terms, phrases, headline_terms=()):
    """Return a Match: every term and phrase quoted (no syntax passes), OR-ed.

    Quoting each word means reader input such as NEAR, OR, * or : is searched
    as text. Phrases must match in order; loose terms make the recall.
    `headline_terms` are matched in headlines only: words so common that
    scoring every article containing them would cost more than it tells.
    """
    loose = [*map(quoted, phrases), *map(quoted, terms)]
    common = [*map(quoted, headline_terms)]
    return Match(" OR ".join(loose), " OR ".join(common), " AND ".join(loose + common))


def search(
    match,
    *,
    where=(),
    params=(),
    order="relevance",
    limit=20,
    offset=0,
    total=None,
):
    """Return (total, [(page id, score, snippet)]) for indexed articles matching.

    `where` holds extra SQL conditions on the index's own columns (published,
    section_id, type_of_work, rowid), which both tables have, with `params`.
    """
    with connection.cursor() as cursor:
        if total is None:  # a caller paging through knows it already
            total = count(cursor, match, where, params)
        if total == 0 or limit == 0:
            return total, []
        wanted = offset + limit + (0 if order == "newest" else TIE_MARGIN)
        # Past the pool, the articles whose headline holds every word are
        # ranked too, however old: the story a reader names is found.
        named = [] if order == "newest" else _named(cursor, match, where, params)
        rows = {}
        for table, expression, weights in match.parts():
            filters, n = (where, params, named), wanted * MERGE_FACTOR
            best = _best(cursor, table, expression, weights, filters, order, n)
            for pk, score, published in best:
                before = rows.get(pk, (pk, 0.0, published))
                rows[pk] = (pk, before[1] + score, published)
        if order == "newest":
            ranked = sorted(rows.values(), key=lambda r: (r[2], r[0]), reverse=True)
        else:
            ranked = sorted(rows.values(), key=lambda r: r[1])[:wanted]
            ranked = _newer_first_among_equals(ranked)
        ranked = ranked[offset : offset + limit]
        if not ranked:
            return total, []
        snippets = _snippets(cursor, match.anywhere, [pk for pk, _, _ in ranked])
    return total, [(pk, -score, snippets.get(pk, "")) for pk, score, _ in ranked]


def count(cursor, match, where, params):
    """Return how many articles match, counting at most COUNT_LIMIT + 1."""
    found = set()
    for table, expression, _ in match.parts():
        conditions = _conditions(table, where)
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {conditions} LIMIT %s",
            [expression, *params, COUNT_LIMIT + 1],
        )
        found.update(row[0] for row in cursor.fetchall())
    return min(len(found), COUNT_LIMIT + 1)


def _best(cursor, table, expression, weights, filters, order, n):
    """Return the best `n` (page id, bm25, published) of one table: exact below
    RANK_POOL matches, the best of the newest RANK_POOL past it."""
    where, params, named = filters
    conditions = _conditions(table, where)
    params = [expression, *params]
    score = f"bm25({table}, {', '.join(str(w) for w in weights)})"
    published = f"(SELECT published FROM {FACTS_TABLE} WHERE page_id = {table}.rowid)"
    ordering = score
    if order == "newest":
        ordering = f"{published} DESC, rowid DESC"
    else:
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {conditions} "
            "ORDER BY rowid DESC LIMIT 1 OFFSET %s",
            [*params, max(RANK_POOL, n) - 1],
        )
        oldest = cursor.fetchone()
        if oldest:
            pool_sql, pool_params = _pool(oldest[0], named)
            conditions += pool_sql
            params += pool_params
    cursor.execute(
        f"SELECT rowid, {score}, {published} FROM {table} "
        f"WHERE {conditions} ORDER BY {ordering} LIMIT %s",
        [*params, n],
    )
    return cursor.fetchall()


def _conditions(table, where):
    """Return the WHERE clause of a match in `table` with the filters `where`.

    The filters name the columns published, section_id and type_of_work (and
    rowid); they are read from the facts table, by page id: in FTS5's own
    rows they come after the body, and each read walked the body.
    """
    if not where:
        return f"{table} MATCH %s"
    return (
        f"{table} MATCH %s AND EXISTS (SELECT 1 FROM {FACTS_TABLE} "
        f"WHERE page_id = {table}.rowid AND {' AND '.join(where)})"
    )


def _pool(oldest, named):
    """Return the SQL condition (and its parameters) keeping the newest pool and
    the articles `named` in full. SQLite checks it on each match, FTS5 does not
    seek by it: bm25() is computed for the rows that pass it only."""
    if not named:
        return " AND rowid >= %s", [oldest]
    ids = ", ".join(["%s"] * len(named))
    return f" AND (rowid >= %s OR rowid IN ({ids}))", [oldest, *named]


def _named(cursor, match, where, params):
    """Return the ids of the newest articles whose headline holds every word
    and phrase of the query (few: all words at once), at most RANK_POOL."""
    if not match.whole_headline:
        return []
    conditions = _conditions(HEADLINES_TABLE, where)
    cursor.execute(
        f"SELECT rowid FROM {HEADLINES_TABLE} WHERE {conditions} "
        "ORDER BY rowid DESC LIMIT %s",
        [match.whole_headline, *params, RANK_POOL],
    )
    return [row[0] for row in cursor.fetchall()]


def _newer_first_among_equals(rows):
    # bm25() is negative and smaller is better: the best is the minimum.
    if not rows:
        return rows
    return newer_first_among_equals(rows, min(s for _, s, _ in rows) or -1.0)


def _snippets(cursor, expression, page_ids):
    """Return {page id: snippet} for the rows shown only, not every match."""
    cursor.execute(
        "SELECT rowid, "
        f"snippet({TABLE}, -1, '{MARK_START}', '{MARK_END}', '…', 28) "
        f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN "
        f"({', '.join(['%s'] * len(page_ids))})",
        [expression, *page_ids],
    )
    return dict(cursor.fetchall())
