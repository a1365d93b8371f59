"""Search in every script, accents or not (issue 19, item 32).

SQLite: the FTS5 tables count combining marks as parts of words (Hindi's vowel
signs cut words apart before): each table is rebuilt with the new tokenizer
from its own rows. PostgreSQL: the vectors use our `byline_search` text search
configuration, `unaccent` then the site language's stemmer (English here;
apps.py sets the site's language after every migrate).

The SQL is this migration's own, as the tables are at this point. Articles
indexed before hold Chinese or Japanese as one word per sentence; run
`manage.py reindex_articles` once after upgrading an archive that has them.
"""

from django.db import migrations

TOKENIZER = "unicode61 remove_diacritics 2 categories ''L* N* Co M*''"
SQLITE_TABLES = [
    (
        "search_article_fts",
        "rowid, title, standfirst, body, published, section_id, type_of_work",
        "title, standfirst, body, published UNINDEXED, section_id UNINDEXED, "
        f"type_of_work UNINDEXED, tokenize = 'porter {TOKENIZER}'",
    ),
    (
        "search_article_words",
        "rowid, title, standfirst",
        f"title, standfirst, tokenize = '{TOKENIZER}'",
    ),
    ("search_topic_fts", "rowid, name", f"name, tokenize = 'porter {TOKENIZER}'"),
]
VOCAB = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article_words_vocab "
    "USING fts5vocab(search_article_words, 'row')"
)

WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'byline_search') THEN
            CREATE TEXT SEARCH CONFIGURATION byline_search (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION byline_search ALTER MAPPING FOR
                {WORD_TOKENS} WITH unaccent, english_stem;
            COMMENT ON TEXT SEARCH CONFIGURATION byline_search IS 'english_stem';
        END IF;
    END $$""",
    "ALTER TABLE search_article_pg DROP COLUMN document, DROP COLUMN headline",
    """ALTER TABLE search_article_pg ADD COLUMN document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('byline_search', title), 'A')
            || setweight(to_tsvector('byline_search', standfirst), 'B')
            || setweight(to_tsvector('byline_search', body), 'D')
        ) STORED""",
    "ALTER TABLE search_article_pg ADD COLUMN headline tsvector GENERATED ALWAYS AS "
    "(to_tsvector('byline_search', title)) STORED",
    "CREATE INDEX IF NOT EXISTS search_article_pg_document "
    "ON search_article_pg USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_article_pg_headline "
    "ON search_article_pg USING gin (headline)",
    "ALTER TABLE search_topic_pg DROP COLUMN document",
    "ALTER TABLE search_topic_pg ADD COLUMN document tsvector GENERATED ALWAYS AS "
    "(to_tsvector('byline_search', name)) STORED",
    "CREATE INDEX IF NOT EXISTS search_topic_pg_document ON search_topic_pg "
    "USING gin (document)",
    # The stems changed: count them again.
    "DELETE FROM search_article_pg_lexemes",
    "INSERT INTO search_article_pg_lexemes (lexeme, doc) SELECT lexeme, COUNT(*) "
    "FROM search_article_pg, unnest(document) GROUP BY lexeme",
]


def _rebuild_sqlite(cursor, table, columns, definition):
    cursor.execute(f"CREATE TEMP TABLE migrating AS SELECT {columns} FROM {table}")
    cursor.execute(f"DROP TABLE {table}")
    cursor.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({definition})")
    cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM migrating")
    cursor.execute("DROP TABLE migrating")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("DROP TABLE IF EXISTS search_article_words_vocab")
            for table, columns, definition in SQLITE_TABLES:
                _rebuild_sqlite(cursor, table, columns, definition)
            cursor.execute(VOCAB)
        elif vendor == "postgresql":
            for statement in POSTGRES:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("byline_search", "0005_spelling_and_topics")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
