"""Article search on SQLite with a dedicated FTS5 table.

Wagtail's SQLite backend scores every match with a correlated subquery; over
10,000 articles it measured p50 1.7 s and p95 4.7 s per query (bench/README.md),
far outside the 50 ms budget. FTS5 ranks with its built-in BM25 in one pass,
weighting the headline and standfirst above the body, and makes the snippet.

The table's rowid is the article's page id. It holds live, public articles
only (the signals in signals.py add and remove them, `byline.news.public`
decides) and carries, unindexed, what the filters and the recency tie-break
need, so a search never joins another table on its hot path. Hits are still
loaded through `public_articles()` as a safety net. The tables are defined in
`sqlite_schema.py`; `sqlite_ranking.py` ranks matches with bounded work.
"""

import re
import unicodedata

from django.db import connection

from byline.search.shared import (
    TWO_EDITS_FROM,
    best_within_two_edits,
    deletions,
    one_edit_away,
    spelling_variants,
)
from byline.search.sqlite_ranking import COUNT_LIMIT, match_expression, search
from byline.search.sqlite_schema import (
    CREATE_SQL,
    DROP_SQL,
    FACTS_TABLE,
    HEADLINES_TABLE,
    MARK_END,
    MARK_START,
    SPELLING_TABLE,
    TABLE,
    TOPIC_KINDS,
    TOPIC_STRIDE,
    TOPICS_TABLE,
    VOCAB_TABLE,
    WORDS_TABLE,
    recreate,
)
from byline.search.text import for_index, split_words

# Latin combining accents, which remove_diacritics folds away (not those of
# Cyrillic or Devanagari, which it keeps).
LATIN_ACCENT = re.compile("(?<=[A-Za-z])[\u0300-\u036f]+")
CHUNK = 500


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
        cursor.executemany(
            f"INSERT INTO {HEADLINES_TABLE} (rowid, title, published, section_id, "
            "type_of_work) VALUES (%s, %s, %s, %s, %s)",
            [(r[0], r[1], *r[4:]) for r in rows],
        )
        cursor.executemany(
            f"INSERT INTO {FACTS_TABLE} (page_id, published, section_id, type_of_work) "
            "VALUES (%s, %s, %s, %s)",
            [(r[0], *r[4:]) for r in rows],
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
        cursor.executemany(f"DELETE FROM {HEADLINES_TABLE} WHERE rowid = %s", ids)
        cursor.executemany(f"DELETE FROM {FACTS_TABLE} WHERE page_id = %s", ids)


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
        cursor.execute(f"SELECT COUNT(*) FROM {HEADLINES_TABLE}_docsize")
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


def headline_prefix_matches(words, prefix, limit):
    """Return ids of the newest headlines with all `words` and a word starting
    with `prefix`.

    Newest first, from the headlines' own table: FTS5 walks its lists from
    the newest and stops at `limit`. Ranking them cost a walk of every word
    the prefix starts (at a million articles, 10.6 s for "do", p95 552 ms).
    """
    parts = ['"' + w.replace('"', "") + '"' for w in words]
    parts.append('"' + prefix.replace('"', "") + '"*')
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {HEADLINES_TABLE} WHERE {HEADLINES_TABLE} MATCH %s "
            "ORDER BY rowid DESC LIMIT %s",
            [" AND ".join(parts), limit],
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


# The backend interface (`indexing.BACKENDS`) is this module's, as fts_postgres's:
# the schema's and the ranking's parts callers use are named here too.
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
