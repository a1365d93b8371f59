"""Article search on PostgreSQL with a dedicated full-text table.

The same interface as fts_sqlite.py, so the engine treats both alike. Wagtail's
PostgreSQL backend measured about 3 s per query over 100,000 articles
(bench/README.md): it ranks through its generic index table and joins back to
pages. Here one table holds each live article's weighted tsvector (headline A,
standfirst B, body D) in a generated column with a GIN index, a headline-only
vector for very common words (copied to a narrow table too), the plain text for
ts_headline snippets, and the columns the filters need. Headline and standfirst
words, unstemmed, are counted in a small vocabulary table that "Did you mean"
draws on. All are kept up to date as articles are indexed and removed; the
tables and the text search configuration are defined in `pg_schema.py`.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from byline.search import pg_bounds
from byline.search.pg_schema import (
    CONFIG,
    COPY_HEADLINES_SQL,
    CREATE_SQL,
    DROP_SQL,
    HEADLINES_TABLE,
    LEXEMES_TABLE,
    SPELLING_TABLE,
    TABLE,
    TOPICS_TABLE,
    WORDS_TABLE,
    recreate,
)
from byline.search.shared import (
    COUNT_LIMIT,
    TWO_EDITS_FROM,
    best_within_two_edits,
    deletions,
    newer_first_among_equals,
    one_edit_away,
    spelling_variants,
)
from byline.search.text import for_index, split_words

# ts_rank weights for D (body), C (unused), B (standfirst), A (headline): the
# same 1 : 2 : 5 proportions as the SQLite index's BM25 column weights.
WEIGHTS = "{0.2, 0.0, 0.4, 1.0}"
# 1 = divide the rank by 1 + log(document length): long articles do not win by bulk.
NORMALIZATION = 1
MARK_START, MARK_END = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, "
    "MaxFragments=1, FragmentDelimiter=…"
)
TIE_MARGIN = 20
# Matches ranked on their full document vector at least (pg_bounds.candidates;
# a deeper page ranks as many as it needs to be placed).
RANK_POOL = 100
WORD = re.compile(r"\w+")
LEXEME_COUNTS_SQL = (
    f"INSERT INTO {LEXEMES_TABLE} AS l (lexeme, doc) "
    f"SELECT lexeme, %s * COUNT(*) FROM {TABLE}, unnest(document) "
    "WHERE rowid = ANY(%s) GROUP BY lexeme "
    "ON CONFLICT (lexeme) DO UPDATE SET doc = l.doc + EXCLUDED.doc"
)


def _words(title, standfirst):
    return set(split_words(f"{title} {standfirst}".lower()))


def index_rows(rows):
    """Replace the index rows of (page id, title, standfirst, body text, published
    unix time, section id, type of work) tuples."""
    rows = [tuple(r) for r in rows]
    if not rows:
        return
    remove(ids := [r[0] for r in rows])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, standfirst, body, published, "
            "section_id, type_of_work) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(*r[:6], r[6] or "") for r in rows],
        )
        cursor.execute(f"{COPY_HEADLINES_SQL} WHERE rowid = ANY(%s)", [ids])
        counts = Counter(w for r in rows for w in _words(r[1], r[2]))
        _adjust_words(cursor, counts, +1)
        _add_spelling(cursor, counts)
        cursor.execute(LEXEME_COUNTS_SQL, [1, [r[0] for r in rows]])


def remove(page_ids):
    page_ids = list(page_ids)
    if not page_ids:
        return
    with connection.cursor() as cursor:
        # Articles new to the index (an import's) have nothing to take back:
        # no need for the counts, nor for a pass over the lexemes table.
        cursor.execute(f"SELECT rowid FROM {TABLE} WHERE rowid = ANY(%s)", [page_ids])
        page_ids = [row[0] for row in cursor.fetchall()]
        if not page_ids:
            return
        cursor.execute(LEXEME_COUNTS_SQL, [-1, page_ids])
        cursor.execute(f"DELETE FROM {LEXEMES_TABLE} WHERE doc <= 0")
        cursor.execute(
            f"WITH h AS (DELETE FROM {HEADLINES_TABLE} WHERE rowid = ANY(%s)) "
            f"DELETE FROM {TABLE} WHERE rowid = ANY(%s) RETURNING title, standfirst",
            [page_ids, page_ids],
        )
        counts = Counter(
            w for title, sf in cursor.fetchall() for w in _words(title, sf)
        )
        _adjust_words(cursor, counts, -1)


def _adjust_words(cursor, counts, sign):
    if not counts:
        return
    terms = sorted(counts)
    cursor.execute(
        f"INSERT INTO {WORDS_TABLE} AS w (term, doc) "
        "SELECT * FROM unnest(%s::text[], %s::integer[]) "
        "ON CONFLICT (term) DO UPDATE SET doc = w.doc + EXCLUDED.doc",
        [terms, [sign * counts[t] for t in terms]],
    )
    if sign < 0:
        cursor.execute(
            f"DELETE FROM {WORDS_TABLE} WHERE term = ANY(%s) AND doc <= 0", [terms]
        )


def _add_spelling(cursor, words):
    """Store the deletion variants of words that have none yet (see fts_sqlite)."""
    words = sorted(words)
    cursor.execute(
        f"SELECT term FROM {SPELLING_TABLE} WHERE variant = term AND variant = ANY(%s)",
        [words],
    )
    known = {row[0] for row in cursor.fetchall()}
    rows = spelling_variants(w for w in words if w not in known)
    if rows:
        cursor.execute(
            f"INSERT INTO {SPELLING_TABLE} (variant, term) "
            "SELECT * FROM unnest(%s::text[], %s::text[]) ON CONFLICT DO NOTHING",
            [[v for v, _ in rows], [t for _, t in rows]],
        )


def term_count(term, cap):
    """Return how many indexed articles contain the (stemmed) term, up to cap.

    A stop word of PostgreSQL's English configuration can match nothing: it
    counts as common (never offered a correction, matched in headlines only,
    where it is dropped as well).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT array_length(tsvector_to_array(to_tsvector('{CONFIG}', %s)), 1), "
            f"(SELECT MAX(doc) FROM {LEXEMES_TABLE} WHERE lexeme = ANY("
            f"tsvector_to_array(to_tsvector('{CONFIG}', %s))))",
            [term, term],
        )
        lexemes, count = cursor.fetchone()
    if not lexemes:
        return cap
    return min(count or 0, cap)


def document_count():
    """Return about how many articles are indexed: the planner's estimate, kept
    by autovacuum (a count read the whole table, 1.2 GB at a million), or the
    exact count before the table was first analysed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        estimate = cursor.fetchone()[0]
        if estimate >= 0:
            return int(estimate)
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def closest_word(term):
    """Return the most used headline or standfirst word one edit away (two for
    longer words, shared.TWO_EDITS_FROM), or None."""
    candidates = sorted(one_edit_away(term))
    if not candidates:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {WORDS_TABLE} WHERE term = ANY(%s) AND doc > 0 "
            "ORDER BY doc DESC, term LIMIT 1",
            [candidates],
        )
        row = cursor.fetchone()
        if row or len(term) < TWO_EDITS_FROM:
            return row[0] if row else None
        cursor.execute(
            f"SELECT term, doc FROM {WORDS_TABLE} WHERE term IN (SELECT term FROM "
            f"{SPELLING_TABLE} WHERE variant = ANY(%s))",
            [sorted(deletions(term))],
        )
        return best_within_two_edits(term, dict(cursor.fetchall()))


@dataclass(frozen=True)
class Match:
    """A reader's query as tsquery SQL with its parameters (never spliced text)."""

    document_sql: str
    document_params: tuple
    headline_sql: str
    headline_params: tuple
    # Every phrase and loose term at once (AND), for pg_bounds's candidates.
    every_sql: str = ""

    def condition(self):
        parts, params = [], []
        if self.document_sql:
            parts.append(f"document @@ ({self.document_sql})")
            params += self.document_params
        if self.headline_sql:
            parts.append(f"headline @@ ({self.headline_sql})")
            params += self.headline_params
        return "(" + " OR ".join(parts or ["false"]) + ")", params

    def all_terms(self):
        """One tsquery of everything, for ranking and highlighting."""
        parts = [p for p in (self.document_sql, self.headline_sql) if p]
        return " || ".join(parts) or "''::tsquery", [
            *self.document_params,
            *self.headline_params,
        ]

    def every_document_term(self):
        """One tsquery requiring every phrase and loose term ("" for one)."""
        return self.every_sql, self.document_params if self.every_sql else ()


def match_expression(terms, phrases, headline_terms=()):
    """Return a Match: phrases in order, loose terms OR-ed, common terms headline-only.

    plainto_tsquery and phraseto_tsquery treat reader input as text: `&`, `|`,
    `!`, `:*` or `<->` typed in the box are never parsed as tsquery syntax.
    """
    document = [(f"phraseto_tsquery('{CONFIG}', %s)", p) for p in phrases]
    # A term with spaces is a run of ideographs (search/text.py): a phrase.
    document += [(_tsquery(t), t) for t in terms]
    headline = [(f"plainto_tsquery('{CONFIG}', %s)", t) for t in headline_terms]
    return Match(
        " || ".join(sql for sql, _ in document),
        tuple(v for _, v in document),
        " || ".join(sql for sql, _ in headline),
        tuple(v for _, v in headline),
        " && ".join(sql for sql, _ in document) if len(document) > 1 else "",
    )


def _tsquery(term):
    function = "phraseto_tsquery" if " " in term else "plainto_tsquery"
    return f"{function}('{CONFIG}', %s)"


def search(
    match, *, where=(), params=(), order="relevance", limit=20, offset=0, total=None
):
    """Return (total, [(page id, score, snippet)]) for indexed articles matching.

    The work is bounded whatever the number of matches (pg_bounds.py): the
    total is counted up to COUNT_LIMIT + 1, and at most a bounded
    pool of candidates is ranked on its full document vector.
    """
    condition, condition_params = match.condition()
    conditions = " AND ".join([condition, *where])
    all_params = [*condition_params, *params]
    query_sql, query_params = match.all_terms()
    with pg_bounds.indexes_only() as cursor:
        if total is None:  # a caller paging through knows it already
            total = pg_bounds.count(cursor, conditions, all_params, COUNT_LIMIT)
        if total == 0 or limit == 0:
            return total, []
        rank = f"ts_rank('{WEIGHTS}', document, ({query_sql}), {NORMALIZATION})"
        if order == "newest":
            ordering, skip, fetch = "published DESC, rowid DESC", offset, limit
        else:
            ordering, skip = "2 DESC", 0
            fetch = offset + limit + TIE_MARGIN
            # Never more than COUNT_LIMIT: a capped total may hide a million.
            size = min(max(RANK_POOL, fetch), COUNT_LIMIT)
            pool = pg_bounds.candidates(cursor, match, where, params, size, total)
            if pool is not None:  # more matches than the pool: rank the pool
                conditions, all_params = "rowid = ANY(%s)", [pool]
        cursor.execute(
            f"SELECT rowid, {rank}, published FROM {TABLE} WHERE {conditions} "
            f"ORDER BY {ordering} LIMIT %s OFFSET %s",
            [*query_params, *all_params, fetch, skip],
        )
        ranked = cursor.fetchall()
        if order != "newest":
            ranked = _newer_first_among_equals(ranked)[offset : offset + limit]
        if not ranked:
            return total, []
        snippets = pg_bounds.snippets(
            cursor, match, [pk for pk, _, _ in ranked], HEADLINE_OPTIONS
        )
    return total, [(pk, float(score), snippets.get(pk, "")) for pk, score, _ in ranked]


def _newer_first_among_equals(rows):
    # ts_rank is positive and larger is better: the best is the maximum.
    if not rows:
        return rows
    return newer_first_among_equals(rows, max(float(s) for _, s, _ in rows) or 1.0)


def headline_prefix_matches(words, prefix, limit):
    """Return ids of headlines with all `words` and a word starting with `prefix`."""
    # Words are \w+ tokens (the engine's tokenizer), so they carry no tsquery syntax.
    parts = [f"plainto_tsquery('{CONFIG}', %s)" for _ in words] + [
        f"to_tsquery('{CONFIG}', %s)"
    ]
    params = [*words, _prefix_query(prefix)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {HEADLINES_TABLE} "
            f"WHERE headline @@ ({' && '.join(parts)}) "
            "ORDER BY published DESC LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _prefix_query(prefix):
    word = "".join(WORD.findall(prefix)) or "_"
    return f"'{word}':*"


def index_topics(rows):
    """Replace the topics of (kind, object id, name) rows."""
    rows = [(kind, ref, for_index(name)) for kind, ref, name in rows]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TOPICS_TABLE} (kind, ref, name) "
            "SELECT * FROM unnest(%s::varchar[], %s::bigint[], %s::text[]) "
            "ON CONFLICT (kind, ref) DO UPDATE SET name = EXCLUDED.name",
            [[k for k, _, _ in rows], [r for _, r, _ in rows], [n for _, _, n in rows]],
        )


def remove_topics(keys):
    """Remove the topics of (kind, object id) pairs."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {TOPICS_TABLE} WHERE kind = %s AND ref = %s", list(keys)
        )


def match_topics(terms, limit):
    """Return (kind, object id) of topics whose names hold any of the terms,
    best first (those holding more of them, then shorter names)."""
    if not terms:
        return []
    query = " || ".join([f"plainto_tsquery('{CONFIG}', %s)"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT kind, ref FROM {TOPICS_TABLE}, (SELECT {query}) AS q(query) "
            "WHERE document @@ query "
            "ORDER BY ts_rank(document, query, 1) DESC, kind, ref LIMIT %s",
            [*terms, limit],
        )
        return [(kind, int(ref)) for kind, ref in cursor.fetchall()]


# The backend interface (`indexing.BACKENDS`) is this module's, as fts_sqlite's:
# the schema's parts callers use are named here too.
__all__ = [
    "COUNT_LIMIT",
    "CREATE_SQL",
    "DROP_SQL",
    "MARK_END",
    "MARK_START",
    "TABLE",
    "TOPICS_TABLE",
    "closest_word",
    "document_count",
    "headline_prefix_matches",
    "index_rows",
    "index_topics",
    "match_expression",
    "match_topics",
    "recreate",
    "remove",
    "remove_topics",
    "search",
    "term_count",
]
