"""The SQLite search index's tables: their names, layout and ranking weights.

`fts_sqlite.py` writes and reads them, `sqlite_ranking.py` ranks matches in
them. Migrations carry copies of this SQL as it stood when they were written; a
test checks that migrating from zero ends at exactly this layout.
"""

from django.db import connection

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
# The headlines again, alone, with the columns the filters read: words too
# common to rank in whole articles are ranked here (sqlite_ranking.py), where
# a word's list holds its headlines only (migration 0008).
HEADLINES_TABLE = "search_article_headlines"
HEADLINE_WEIGHTS = (WEIGHTS[0], 0.0, 0.0, 0.0)
CREATE_SQL += [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {HEADLINES_TABLE} USING fts5("
    "title, published UNINDEXED, section_id UNINDEXED, type_of_work UNINDEXED, "
    f"tokenize = 'porter {TOKENIZER}')",
]
# What the filters and "newest first" read, by page id. FTS5 stores these
# columns after the body, so reading them there walked each match's body
# (bench/README.md, "SQLite search at a million, bounded"); here each is a
# small look-up.
FACTS_TABLE = "search_article_facts"
CREATE_SQL += [
    f"CREATE TABLE IF NOT EXISTS {FACTS_TABLE} (page_id INTEGER PRIMARY KEY, "
    "published INTEGER NOT NULL, section_id INTEGER, type_of_work TEXT)",
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {t}"
    for t in (
        FACTS_TABLE,
        HEADLINES_TABLE,
        TOPICS_TABLE,
        SPELLING_TABLE,
        VOCAB_TABLE,
        WORDS_TABLE,
        TABLE,
    )
]
# A topic's rowid: its object's id times this, plus its kind's number.
TOPIC_KINDS = {"author": 1, "section": 2, "tag": 3}
TOPIC_STRIDE = 4


def recreate():
    """Drop and create the index tables empty (also picks up a changed layout)."""
    with connection.cursor() as cursor:
        for statement in [*DROP_SQL, *CREATE_SQL]:
            cursor.execute(statement)
