"""Article search on SQLite with a dedicated FTS5 table.

Wagtail's SQLite backend scores every match with a correlated subquery; over
10,000 articles it measured p50 1.7 s and p95 4.7 s per query (bench/README.md),
far outside the 50 ms budget. FTS5 ranks with its built-in BM25 in one pass,
weighting the headline and standfirst above the body, and makes the snippet.

The table's rowid is the article's page id. It holds live, public articles
only (the signals in signals.py add and remove them, `byline.news.public`
decides) and carries, unindexed, what the filters and the recency tie-break
need, so a search never joins another table on its hot path. Hits are still
loaded through `public_articles()` as a safety net.
"""

import re
import unicodedata

from django.db import connection

from byline.search.shared import (
    TWO_EDITS_FROM,
    best_within_two_edits,
    deletions,
    newer_first_among_equals,
    one_edit_away,
    spelling_variants,
)
from byline.search.text import for_index, split_words

TABLE = "search_article_fts"
# Words are letters, digits and their combining marks (M*: Hindi's vowel signs,
# search/text.py); Latin accents are folded away (remove_diacritics 2), so
# "cafe" finds "café". Porter stems English words only.
TOKENIZER = "unicode61 remove_diacritics 2 categories ''L* N* Co M*''"
# bm25() column weights: headline, standfirst, body (the unindexed columns get 0).
WEIGHTS = (5.0, 2.0, 1.0, 0.0, 0.0, 0.0)
# Control characters cannot occur in indexed text, so they mark highlights safely;
# the caller escapes the snippet and only then turns them into <mark> tags.
MARK_START, MARK_END = "\x02", "\x03"

# Headline and standfirst words as written (no stemming): the vocabulary that
# "Did you mean" draws on, with the number of articles using each word.
WORDS_TABLE = "search_article_words"
VOCAB_TABLE = "search_article_words_vocab"

CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, standfirst, body, published UNINDEXED, section_id UNINDEXED, "
    f"type_of_work UNINDEXED, tokenize = 'porter {TOKENIZER}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {WORDS_TABLE} USING fts5("
    f"title, standfirst, tokenize = '{TOKENIZER}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB_TABLE} "
    f"USING fts5vocab({WORDS_TABLE}, 'row')",
]
# Deletion variants of the vocabulary's words ("Did you mean" within two edits,
# shared.deletions), and the names of authors, sections and tags a query can
# find (migration 0005 made them; migrations carry their own SQL).
SPELLING_TABLE = "search_article_spelling"
TOPICS_TABLE = "search_topic_fts"
CREATE_SQL += [
    f"CREATE TABLE IF NOT EXISTS {SPELLING_TABLE} (variant TEXT NOT NULL, "
    "term TEXT NOT NULL, PRIMARY KEY (variant, term)) WITHOUT ROWID",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TOPICS_TABLE} USING fts5("
    f"name, tokenize = 'porter {TOKENIZER}')",
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {t}"
    for t in (TOPICS_TABLE, SPELLING_TABLE, VOCAB_TABLE, WORDS_TABLE, TABLE)
]
# A topic's rowid: its object's id times this, plus its kind's number.
TOPIC_KINDS = {"author": 1, "section": 2, "tag": 3}
TOPIC_STRIDE = 4
# Latin combining accents, which remove_diacritics folds away (not those of
# Cyrillic or Devanagari, which it keeps).
LATIN_ACCENT = re.compile("(?<=[A-Za-z])[\u0300-\u036f]+")
CHUNK = 500
# Extra rows ranked beyond a page so that near-ties at its edge are ordered right.
TIE_MARGIN = 20
# Totals are exact here (FTS5 counts from its own index); PostgreSQL's stop at
# fts_postgres.COUNT_LIMIT + 1.
COUNT_LIMIT = None


def index_rows(rows):
    """Replace the index rows of (page id, title, standfirst, body text, published
    unix time, section id, type of work) tuples."""
    rows = list(rows)
    if not rows:
        return
    remove([r[0] for r in rows])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TABLE} (rowid, title, standfirst, body, published, "
            "section_id, type_of_work) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        cursor.executemany(
            f"INSERT INTO {WORDS_TABLE} (rowid, title, standfirst) VALUES (%s, %s, %s)",
            [r[:3] for r in rows],
        )
        _add_spelling(cursor, {w for r in rows for w in vocabulary_words(*r[1:3])})


def vocabulary_words(*texts):
    """Return the words of texts as the vocabulary table holds them."""
    text = unicodedata.normalize("NFKD", " ".join(texts).lower())
    text = unicodedata.normalize("NFC", LATIN_ACCENT.sub("", text))
    return set(split_words(text))


def _add_spelling(cursor, words):
    """Store the deletion variants of words that have none yet.

    A word's variants include the word itself, which tells the known ones.
    Variants of words that leave the vocabulary stay: each lookup confirms
    its candidates against the vocabulary.
    """
    words, known = sorted(words), set()
    for start in range(0, len(words), CHUNK):
        chunk = words[start : start + CHUNK]
        cursor.execute(
            f"SELECT term FROM {SPELLING_TABLE} WHERE variant = term AND variant IN "
            f"({', '.join(['%s'] * len(chunk))})",
            chunk,
        )
        known |= {row[0] for row in cursor.fetchall()}
    cursor.executemany(
        f"INSERT OR IGNORE INTO {SPELLING_TABLE} (variant, term) VALUES (%s, %s)",
        spelling_variants(w for w in words if w not in known),
    )


def remove(page_ids):
    ids = [(i,) for i in page_ids]
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", ids)
        cursor.executemany(f"DELETE FROM {WORDS_TABLE} WHERE rowid = %s", ids)


def term_count(term, cap):
    """Return how many indexed articles contain the term, counting no further than cap.

    The term is stemmed as in a search. Stopping at the cap keeps this cheap
    for words found in most of the archive.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s "
            "LIMIT %s)",
            ['"' + term.replace('"', "") + '"', cap],
        )
        return cursor.fetchone()[0]


def document_count():
    """Return the number of indexed articles (from FTS5's own per-document table)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}_docsize")
        return cursor.fetchone()[0]


def closest_word(term):
    """Return the most used headline or standfirst word one edit away (two for
    longer words, shared.TWO_EDITS_FROM), or None."""
    candidates = sorted(one_edit_away(term))
    if not candidates:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term FROM {VOCAB_TABLE} WHERE term IN "
            f"({', '.join(['%s'] * len(candidates))}) ORDER BY doc DESC, term LIMIT 1",
            candidates,
        )
        row = cursor.fetchone()
        if row or len(term) < TWO_EDITS_FROM:
            return row[0] if row else None
        return best_within_two_edits(term, _spelling_candidates(cursor, term))


def _spelling_candidates(cursor, term):
    """Return {vocabulary word: articles using it} sharing a variant with term."""
    keys = sorted(deletions(term))
    cursor.execute(
        f"SELECT DISTINCT term FROM {SPELLING_TABLE} WHERE variant IN "
        f"({', '.join(['%s'] * len(keys))})",
        keys,
    )
    words = [row[0] for row in cursor.fetchall()]
    if not words:
        return {}
    cursor.execute(
        f"SELECT term, doc FROM {VOCAB_TABLE} WHERE term IN "
        f"({', '.join(['%s'] * len(words))})",
        words,
    )
    return dict(cursor.fetchall())


def match_expression(terms, phrases, headline_terms=()):
    """Return an FTS5 query: every term and phrase quoted (no syntax passes), OR-ed.

    Quoting each word means reader input such as NEAR, OR, * or : is searched
    as text. Phrases must match in order; loose terms make the recall.
    `headline_terms` are matched in headlines only: words so common that
    scoring every article containing them would cost more than it tells.
    """
    parts = ['"' + p.replace('"', "") + '"' for p in phrases]
    parts += ['"' + t.replace('"', "") + '"' for t in terms]
    parts += ['{title} : "' + t.replace('"', "") + '"' for t in headline_terms]
    return " OR ".join(parts)


def search(
    expression,
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
    section_id, type_of_work, rowid) with their `params`.
    """
    conditions = " AND ".join([f"{TABLE} MATCH %s", *where])
    params = [expression, *params]
    weights = ", ".join(str(w) for w in WEIGHTS)
    with connection.cursor() as cursor:
        if total is None:  # a caller paging through knows it already
            cursor.execute(f"SELECT COUNT(*) FROM {TABLE} WHERE {conditions}", params)
            total = cursor.fetchone()[0]
        if total == 0 or limit == 0:
            return total, []
        if order == "newest":
            ordering, skip, fetch = "published DESC, rowid DESC", offset, limit
        else:
            # Rank every row up to this page and a little beyond, then break
            # near-ties by date, so pages agree on where each result falls.
            ordering, skip = f"bm25({TABLE}, {weights})", 0
            fetch = offset + limit + TIE_MARGIN
        cursor.execute(
            f"SELECT rowid, bm25({TABLE}, {weights}), published FROM {TABLE} "
            f"WHERE {conditions} ORDER BY {ordering} LIMIT %s OFFSET %s",
            [*params, fetch, skip],
        )
        ranked = cursor.fetchall()
        if order != "newest":
            ranked = _newer_first_among_equals(ranked)[offset : offset + limit]
        if not ranked:
            return total, []
        # Snippets only for the rows shown, not for every match.
        cursor.execute(
            "SELECT rowid, "
            f"snippet({TABLE}, -1, '{MARK_START}', '{MARK_END}', '…', 28) "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN "
            f"({', '.join(['%s'] * len(ranked))})",
            [expression, *(pk for pk, _, _ in ranked)],
        )
        snippets = dict(cursor.fetchall())
    return total, [(pk, -score, snippets.get(pk, "")) for pk, score, _ in ranked]


def _newer_first_among_equals(rows):
    # bm25() is negative and smaller is better: the best is the minimum.
    if not rows:
        return rows
    return newer_first_among_equals(rows, min(s for _, s, _ in rows) or -1.0)


def headline_prefix_matches(words, prefix, limit):
    """Return ids of headlines with all `words` and a word starting with `prefix`."""
    parts = ['"' + w.replace('"', "") + '"' for w in words]
    parts.append('"' + prefix.replace('"', "") + '"*')
    expression = "title : (" + " AND ".join(parts) + ")"
    weights = ", ".join(str(w) for w in WEIGHTS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s "
            f"ORDER BY bm25({TABLE}, {weights}), published DESC LIMIT %s",
            [expression, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def index_topics(rows):
    """Replace the topics of (kind, object id, name) rows."""
    rows = [
        (TOPIC_KINDS[kind] + TOPIC_STRIDE * ref, for_index(name))
        for kind, ref, name in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {TOPICS_TABLE} WHERE rowid = %s", [(r,) for r, _ in rows]
        )
        cursor.executemany(
            f"INSERT INTO {TOPICS_TABLE} (rowid, name) VALUES (%s, %s)", rows
        )


def remove_topics(keys):
    """Remove the topics of (kind, object id) pairs."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"DELETE FROM {TOPICS_TABLE} WHERE rowid = %s",
            [(TOPIC_KINDS[kind] + TOPIC_STRIDE * ref,) for kind, ref in keys],
        )


def match_topics(terms, limit):
    """Return (kind, object id) of topics whose names hold any of the terms,
    best first (those holding more of them, then shorter names)."""
    if not terms:
        return []
    kinds = {number: kind for kind, number in TOPIC_KINDS.items()}
    expression = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {TOPICS_TABLE} WHERE {TOPICS_TABLE} MATCH %s "
            f"ORDER BY bm25({TOPICS_TABLE}), rowid LIMIT %s",
            [expression, limit],
        )
        rowids = [row[0] for row in cursor.fetchall()]
    return [(kinds[r % TOPIC_STRIDE], r // TOPIC_STRIDE) for r in rowids]


def recreate():
    """Drop and create the index tables empty (also picks up a changed layout)."""
    with connection.cursor() as cursor:
        for statement in [*DROP_SQL, *CREATE_SQL]:
            cursor.execute(statement)
