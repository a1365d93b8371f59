"""Bounded work per PostgreSQL search, however many articles match.

Five costs grew with the archive (bench/README.md, "2026-12-06: PostgreSQL 15,
100,000 articles", and "eighth session" for the last):

- The planner chose a sequential scan for queries matching a few per cent of
  the table: its cost model sees the small heap, not the TOASTed document
  vectors that every row's `@@` must decompress (about 30,000 buffers at
  10,000 articles, 140–250 ms, against 1 ms through the GIN index). Each
  search therefore runs with sequential scans off for its own statements
  (`indexes_only`), so matches always come from the GIN indexes.
- `ts_rank` read every match's full document vector: about 30 µs a row, and up
  to 12 terms × 1 % of the archive rows. Now at most a bounded pool is ranked
  (`candidates`); when every match fits in it, the ranking is exact, as before.
- `COUNT(*)` visited every match. It now stops at fts_postgres.COUNT_LIMIT + 1:
  past that the total is "more than COUNT_LIMIT" (the engine labels it so).
  The ids it counted are kept with the total (`Total`), so the ranking pool's
  pick of any matches does not build the match bitmap a second time.
- `ts_headline` parsed each shown article whole (stemming and unaccenting
  every word: about 0.4 ms a kilobyte, 30 ms for a page of 20 at 10,000
  articles on a loaded machine, and an article may be 25 kB). It now reads a
  window of SNIPPET_WINDOW characters around the first match (`snippets`).
- Choosing the headlines worth ranking ranked every headline holding a query
  word, reading each one's wide row: 141 ms for a query with "ones" at a
  million articles. Now only headlines holding two of the query's lexemes are
  ranked, from a narrow table of headlines (`headlines`).
"""

from contextlib import contextmanager

from django.db import connection, transaction

from byline.search.pg_schema import CONFIG, HEADLINES_TABLE, TABLE

# Characters of standfirst and body a snippet is chosen from, starting a little
# before the first place a query word or its stem appears (a snippet shows
# about 30 words, some 200 characters).
SNIPPET_WINDOW, SNIPPET_LEAD = 1000, 200
# ts_headline drops anything that looks like an HTML tag; angle brackets are
# swapped for control characters and back so "<script>" in an article's text
# survives, to be escaped by the caller like the rest.
ANGLES = "\x04\x05"
FROM_ANGLES = str.maketrans(ANGLES, "<>")
# The lexemes of a tsquery, from its text form ('elect' | 'bridg' <-> 'fall').
LEXEMES_SQL = "ARRAY(SELECT m[1] FROM regexp_matches(querytree(q.query), %s, 'g') m)"
LEXEME_PATTERN = "'((?:[^']|'')+)'"
# Headlines matching a query read whole and sorted by date in Python, at most
# (`_newest_headlines`).
FEW_HEADLINES = 5000


@contextmanager
def indexes_only():
    """Plan this search's statements without sequential scans.

    SET LOCAL lasts until the end of the transaction: ours, normally (one
    statement more per search), or the caller's, where it is put back after.
    """
    inside = not transaction.get_autocommit()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), "
            "set_config('enable_seqscan', 'off', true)"
        )
        before = cursor.fetchone()[0]
        yield cursor
        # After an error the caller's transaction is rolled back, setting and all.
        if inside:
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", [before])


class Total(int):
    """count()'s total, holding the ids of the matches it passed on the way
    (`first`, in the order the index yielded them).

    Counting builds the match bitmap from the GIN indexes: for a common word
    at a million articles that alone takes milliseconds, and candidates()'
    "any matches" pick built the same bitmap again. A caller that keeps the
    total it was given (engine.SearchResults, from its count to its page)
    hands these ids back with it.
    """

    first = ()

    @classmethod
    def of(cls, ids):
        total = cls(len(ids))
        total.first = tuple(ids)
        return total


def count(cursor, conditions, params, limit):
    """Return how many articles match, counting at most limit + 1, as a Total."""
    cursor.execute(
        f"SELECT rowid FROM {TABLE} WHERE {conditions} LIMIT %s",
        [*params, limit + 1],
    )
    return Total.of([row[0] for row in cursor.fetchall()])


def candidates(cursor, match, where, params, pool, total):
    """Return the ids of at most about 3 × pool matches worth ranking, or None
    when every match is (ranked exactly then). `where` and `params` are the
    filters (section, dates …) beside the match; `total` is count()'s: a
    Total's first ids are the "any others" pick, read again for a plain int.

    Three cheap picks, none reading a document vector: the matches whose
    headline holds the most query words (`headlines`), the matches holding
    every document term, and any others the index yields first. Headline words
    weigh five times body words in the ranking (fts_postgres.WEIGHTS), so the
    best matches are in the first two.
    """
    if total <= pool:
        return None
    filters = "".join(f" AND {sql}" for sql in where)
    anywhere = list(getattr(total, "first", ()))[:pool]
    if len(anywhere) < min(pool, total):  # a total without its ids
        condition, condition_params = match.condition()
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {condition}{filters} LIMIT %s",
            [*condition_params, *params, pool],
        )
        anywhere = [row[0] for row in cursor.fetchall()]
    found = dict.fromkeys(headlines(cursor, match, filters, params, pool))
    every_sql, every_params = match.every_document_term()
    if every_sql:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE document @@ ({every_sql}){filters} "
            "LIMIT %s",
            [*every_params, *params, pool],
        )
        found.update(dict.fromkeys(row[0] for row in cursor.fetchall()))
    found.update(dict.fromkeys(anywhere))
    return list(found)


def headlines(cursor, match, filters, params, pool):
    """Return the ids of at most `pool` headlines holding the most query words,
    best first: ts_rank's order (then the newest), without ranking them all.

    A query word in many headlines ("ones" in 30,403 of a million) had every
    one of them ranked. But ts_rank of a headline (calc_rank_or, for a query of
    several terms OR-ed) adds up the query's distinct lexemes, whatever terms
    they come from: each one present adds w / 1.645 (w = 0.1), and repeats of
    it bring its share towards w, never to it. So one lexeme, however repeated,
    ranks below any two. Lexemes, not terms: a phrase ("bridge collapse") or a
    run of ideographs is one term of several, and a headline holding it alone
    ranks with those holding two terms. So the matching headlines holding two
    or more of the query's lexemes, found by the GIN index, come first, ranked;
    when they are fewer than the pool, the newest of the rest follow (repeats
    ignored there). Rows are read from the headlines' own narrow table
    (pg_schema.HEADLINES_TABLE).
    """
    query_sql, query_params = match.all_terms()
    found = {}
    lexemes = _query_lexemes(cursor, query_sql, query_params)
    if len(lexemes) > 1:
        cursor.execute(
            f"SELECT rowid FROM {HEADLINES_TABLE} WHERE headline @@ ({query_sql}) "
            f"AND headline @@ %s::tsquery{filters} "
            f"ORDER BY ts_rank(headline, ({query_sql})) DESC, published DESC "
            "LIMIT %s",
            [*query_params, _two_of(lexemes), *params, *query_params, pool],
        )
        found = dict.fromkeys(row[0] for row in cursor.fetchall())
    if len(found) < pool:
        newest = _newest_headlines(cursor, match, filters, params, pool)
        found.update(dict.fromkeys(newest))
    return list(found)[:pool]


def _newest_headlines(cursor, match, filters, params, n):
    """Return the ids of the newest `n` headlines matching, newest first.

    Up to FEW_HEADLINES matches are all read through the GIN index and sorted
    here. Asked for the newest directly, the planner walked the date index
    and tested each headline, expecting a match every few hundred: for two
    rare words at a million articles it tested 101,177 rows (30 ms) to find
    100. More matches than that are that dense, so the date index finds the
    newest within a few thousand rows.
    """
    query_sql, query_params = match.all_terms()
    cursor.execute(
        f"SELECT rowid, published FROM {HEADLINES_TABLE} "
        f"WHERE headline @@ ({query_sql}){filters} LIMIT %s",
        [*query_params, *params, FEW_HEADLINES + 1],
    )
    rows = cursor.fetchall()
    if len(rows) <= FEW_HEADLINES:
        return [pk for pk, _ in sorted(rows, key=lambda r: (-r[1], -r[0]))[:n]]
    cursor.execute(
        f"SELECT rowid FROM {HEADLINES_TABLE} WHERE headline @@ ({query_sql})"
        f"{filters} ORDER BY published DESC, rowid DESC LIMIT %s",
        [*query_params, *params, n],
    )
    return [row[0] for row in cursor.fetchall()]


def _query_lexemes(cursor, query_sql, query_params):
    """The query's distinct lexemes, as quoted tsquery operands ('one' for both
    "one" and "ones"; stop words have none)."""
    cursor.execute(
        f"SELECT {LEXEMES_SQL} FROM (SELECT ({query_sql}) AS query) AS q",
        [LEXEME_PATTERN, *query_params],
    )
    # The pattern's group is the lexeme as tsquery text writes it (quotes
    # doubled, backslashes escaped): quoted again, it is that one operand.
    return [f"'{lexeme}'" for lexeme in dict.fromkeys(cursor.fetchone()[0])]


def _two_of(operands):
    """A tsquery true of a vector holding at least two of the operands: either
    two of one half, two of the other, or one of each (n log n operands)."""
    if len(operands) == 2:
        return " & ".join(operands)
    half = len(operands) // 2
    parts = [operands[:half], operands[half:]]
    either = [f"( {' | '.join(part)} )" for part in parts]
    return " | ".join(
        [" & ".join(either), *(f"( {_two_of(p)} )" for p in parts if len(p) > 1)]
    )


def snippets(cursor, match, page_ids, options):
    """Return {page id: ts_headline snippet} for the rows shown only, each
    chosen from a bounded window of its text.

    The window starts SNIPPET_LEAD characters before the first occurrence of
    a stemmed query lexeme (a prefix of most word forms: "elect" finds
    "elected") or of a word as typed (for stems that are not prefixes,
    "happi"); found nowhere, it is the start of the text.
    """
    query_sql, query_params = match.all_terms()
    typed = sorted({v.lower() for v in query_params})
    cursor.execute(
        f"SELECT a.rowid, ts_headline('{CONFIG}', translate(CASE WHEN f.at > 1 "
        r"THEN regexp_replace(substr(a.text, f.at, %s), '^\S*\s+', '') "
        "ELSE substr(a.text, 1, %s) END, '<>', %s), q.query, %s) "
        f"FROM (SELECT ({query_sql}) AS query) AS q, "
        "(SELECT rowid, standfirst || ' ' || body AS text "
        f"FROM {TABLE} WHERE rowid = ANY(%s)) AS a, "
        "LATERAL (SELECT GREATEST(1, MIN(NULLIF(strpos(lower(a.text), n), 0)) - %s) "
        f"AS at FROM unnest({LEXEMES_SQL} || %s::text[]) AS n) AS f",
        [
            SNIPPET_WINDOW,
            SNIPPET_WINDOW,
            ANGLES,
            options,
            *query_params,
            page_ids,
            SNIPPET_LEAD,
            LEXEME_PATTERN,
            typed,
        ],
    )
    return {pk: text.translate(FROM_ANGLES) for pk, text in cursor.fetchall()}
