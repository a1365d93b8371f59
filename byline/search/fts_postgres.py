"""Article search on PostgreSQL with a dedicated full-text table.

The same interface as fts_sqlite.py, so the engine treats both alike. Wagtail's
PostgreSQL backend measured about 3 s per query over 100,000 articles
(bench/README.md): it ranks through its generic index table and joins back to
pages. Here one table holds each live article's weighted tsvector (headline A,
standfirst B, body D) in a generated column with a GIN index, a headline-only
vector for very common words, the plain text for ts_headline snippets, and the
columns the filters need, so a search reads one table.

Headline and standfirst words, unstemmed, are counted in a small vocabulary table
that "Did you mean" draws on, kept up to date as articles are indexed and removed.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection

from byline.search.shared import newer_first_among_equals, one_edit_away

TABLE = "search_article_pg"
WORDS_TABLE = "search_article_pg_words"
# How many indexed articles hold each stemmed lexeme: counting matches in the
# index itself cost 5–10 ms a term at 100,000 articles; this is one lookup.
LEXEMES_TABLE = "search_article_pg_lexemes"
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
ANGLES = "\x04\x05"
FROM_ANGLES = str.maketrans(ANGLES, "<>")
WORD = re.compile(r"\w+")

CREATE_SQL = [
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        rowid integer PRIMARY KEY,
        title text NOT NULL,
        standfirst text NOT NULL,
        body text NOT NULL,
        published bigint NOT NULL,
        section_id integer,
        type_of_work varchar(20) NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A')
            || setweight(to_tsvector('english', standfirst), 'B')
            || setweight(to_tsvector('english', body), 'D')
        ) STORED,
        headline tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED
    )""",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_document ON {TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_headline ON {TABLE} USING gin (headline)",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_published ON {TABLE} (published DESC)",
    f"""CREATE TABLE IF NOT EXISTS {WORDS_TABLE} (
        term text PRIMARY KEY,
        doc integer NOT NULL
    )""",
    f"""CREATE TABLE IF NOT EXISTS {LEXEMES_TABLE} (
        lexeme text PRIMARY KEY,
        doc integer NOT NULL
    )""",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {t}" for t in (LEXEMES_TABLE, WORDS_TABLE, TABLE)]
LEXEME_COUNTS_SQL = (
    f"INSERT INTO {LEXEMES_TABLE} AS l (lexeme, doc) "
    f"SELECT lexeme, %s * COUNT(*) FROM {TABLE}, unnest(document) "
    "WHERE rowid = ANY(%s) GROUP BY lexeme "
    "ON CONFLICT (lexeme) DO UPDATE SET doc = l.doc + EXCLUDED.doc"
)


def _words(title, standfirst):
    return set(WORD.findall(f"{title} {standfirst}".lower()))


def index_rows(rows):
    """Replace the index rows of (page id, title, standfirst, body text, published
    unix time, section id, type of work) tuples."""
    rows = [tuple(r) for r in rows]
    if not rows:
        return
    remove([r[0] for r in rows])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, standfirst, body, published, "
            "section_id, type_of_work) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [(*r[:6], r[6] or "") for r in rows],
        )
        counts = Counter(w for r in rows for w in _words(r[1], r[2]))
        _adjust_words(cursor, counts, +1)
        cursor.execute(LEXEME_COUNTS_SQL, [1, [r[0] for r in rows]])


def remove(page_ids):
    page_ids = list(page_ids)
    if not page_ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(LEXEME_COUNTS_SQL, [-1, page_ids])
        cursor.execute(f"DELETE FROM {LEXEMES_TABLE} WHERE doc <= 0")
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE rowid = ANY(%s) RETURNING title, standfirst",
            [page_ids],
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


def term_count(term, cap):
    """Return how many indexed articles contain the (stemmed) term, up to cap.

    A stop word of PostgreSQL's English configuration can match nothing: it
    counts as common (never offered a correction, matched in headlines only,
    where it is dropped as well).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_length(tsvector_to_array(to_tsvector('english', %s)), 1), "
            f"(SELECT MAX(doc) FROM {LEXEMES_TABLE} WHERE lexeme = ANY("
            "tsvector_to_array(to_tsvector('english', %s))))",
            [term, term],
        )
        lexemes, count = cursor.fetchone()
    if not lexemes:
        return cap
    return min(count or 0, cap)


def document_count():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def closest_word(term):
    """Return the most used headline or standfirst word one edit away, or None."""
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
    return row[0] if row else None


@dataclass(frozen=True)
class Match:
    """A reader's query as tsquery SQL with its parameters (never spliced text)."""

    document_sql: str
    document_params: tuple
    headline_sql: str
    headline_params: tuple

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


def match_expression(terms, phrases, headline_terms=()):
    """Return a Match: phrases in order, loose terms OR-ed, common terms headline-only.

    plainto_tsquery and phraseto_tsquery treat reader input as text: `&`, `|`,
    `!`, `:*` or `<->` typed in the box are never parsed as tsquery syntax.
    """
    document = [("phraseto_tsquery('english', %s)", p) for p in phrases]
    document += [("plainto_tsquery('english', %s)", t) for t in terms]
    headline = [("plainto_tsquery('english', %s)", t) for t in headline_terms]
    return Match(
        " || ".join(sql for sql, _ in document),
        tuple(v for _, v in document),
        " || ".join(sql for sql, _ in headline),
        tuple(v for _, v in headline),
    )


def search(
    match, *, where=(), params=(), order="relevance", limit=20, offset=0, total=None
):
    """Return (total, [(page id, score, snippet)]) for indexed articles matching."""
    condition, condition_params = match.condition()
    conditions = " AND ".join([condition, *where])
    all_params = [*condition_params, *params]
    query_sql, query_params = match.all_terms()
    with connection.cursor() as cursor:
        if total is None:  # a caller paging through knows it already
            cursor.execute(
                f"SELECT COUNT(*) FROM {TABLE} WHERE {conditions}", all_params
            )
            total = cursor.fetchone()[0]
        if total == 0 or limit == 0:
            return total, []
        rank = f"ts_rank('{WEIGHTS}', document, ({query_sql}), {NORMALIZATION})"
        if order == "newest":
            ordering, skip, fetch = "published DESC, rowid DESC", offset, limit
        else:
            ordering, skip = "2 DESC", 0
            fetch = offset + limit + TIE_MARGIN
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
        # ts_headline drops anything that looks like an HTML tag; angle brackets
        # are swapped for control characters and back so "<script>" in an
        # article's text survives, to be escaped by the caller like the rest.
        cursor.execute(
            "SELECT rowid, ts_headline('english', "
            f"translate(standfirst || ' ' || body, '<>', %s), ({query_sql}), %s) "
            f"FROM {TABLE} WHERE rowid = ANY(%s)",
            [ANGLES, *query_params, HEADLINE_OPTIONS, [pk for pk, _, _ in ranked]],
        )
        snippets = {pk: text.translate(FROM_ANGLES) for pk, text in cursor.fetchall()}
    return total, [(pk, float(score), snippets.get(pk, "")) for pk, score, _ in ranked]


def _newer_first_among_equals(rows):
    # ts_rank is positive and larger is better: the best is the maximum.
    if not rows:
        return rows
    return newer_first_among_equals(rows, max(float(s) for _, s, _ in rows) or 1.0)


def headline_prefix_matches(words, prefix, limit):
    """Return ids of headlines with all `words` and a word starting with `prefix`."""
    # Words are \w+ tokens (the engine's tokenizer), so they carry no tsquery syntax.
    parts = ["plainto_tsquery('english', %s)" for _ in words] + [
        "to_tsquery('english', %s)"
    ]
    params = [*words, _prefix_query(prefix)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE headline @@ ({' && '.join(parts)}) "
            "ORDER BY published DESC LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _prefix_query(prefix):
    word = "".join(WORD.findall(prefix)) or "_"
    return f"'{word}':*"


def recreate():
    with connection.cursor() as cursor:
        for statement in [*DROP_SQL, *CREATE_SQL]:
            cursor.execute(statement)
