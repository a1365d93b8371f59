"""The PostgreSQL search index's tables and text search configuration.

`fts_postgres.py` reads and writes these tables; this module says what they are
(`CREATE_SQL`, `DROP_SQL`, `recreate()`) and which stemmer the configuration
uses (`use_language()`, run after every migrate). Migrations carry copies of this
SQL as it stood when they were written; a test checks that migrating from zero
ends at exactly this layout.
"""

from django.db import connection

TABLE = "search_article_pg"
WORDS_TABLE = "search_article_pg_words"
# How many indexed articles hold each stemmed lexeme: counting matches in the
# index itself cost 5–10 ms a term at 100,000 articles; this is one lookup.
LEXEMES_TABLE = "search_article_pg_lexemes"

# Our text search configuration: the site language's stemmer (`use_language`)
# after `unaccent`, so "cafe" finds "café" (issue 19, item 32).
CONFIG = "byline_search"
WORD_TOKENS = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"
# PostgreSQL's Snowball stemmers, by language code; others are not stemmed.
STEMMED = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "eu": "basque",
    "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian",
    "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip

CREATE_SQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # English until `use_language` sets the site's language (after migrate).
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR
                {WORD_TOKENS} WITH unaccent, english_stem;
            COMMENT ON TEXT SEARCH CONFIGURATION {CONFIG} IS 'english_stem';
        END IF;
    END $$""",
    f"""CREATE TABLE IF NOT EXISTS {TABLE} (
        rowid integer PRIMARY KEY,
        title text NOT NULL,
        standfirst text NOT NULL,
        body text NOT NULL,
        published bigint NOT NULL,
        section_id integer,
        type_of_work varchar(20) NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}', title), 'A')
            || setweight(to_tsvector('{CONFIG}', standfirst), 'B')
            || setweight(to_tsvector('{CONFIG}', body), 'D')
        ) STORED,
        headline tsvector GENERATED ALWAYS AS (to_tsvector('{CONFIG}', title)) STORED
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
# Deletion variants of the vocabulary's words ("Did you mean" within two edits,
# shared.deletions), and the names of authors, sections and tags a query can
# find (migration 0005 made them; migrations carry their own SQL).
SPELLING_TABLE = "search_article_spelling"
TOPICS_TABLE = "search_topic_pg"
CREATE_SQL += [
    f"""CREATE TABLE IF NOT EXISTS {SPELLING_TABLE} (
        variant text NOT NULL,
        term text NOT NULL,
        PRIMARY KEY (variant, term)
    )""",
    f"""CREATE TABLE IF NOT EXISTS {TOPICS_TABLE} (
        kind varchar(10) NOT NULL,
        ref bigint NOT NULL,
        name text NOT NULL,
        document tsvector GENERATED ALWAYS AS (to_tsvector('{CONFIG}', name)) STORED,
        PRIMARY KEY (kind, ref)
    )""",
    f"CREATE INDEX IF NOT EXISTS {TOPICS_TABLE}_document ON {TOPICS_TABLE} "
    "USING gin (document)",
]
# The headline vectors again, alone, with the columns the filters read: ranking
# the headlines that hold a common word read a wide row (text, vectors) of each
# match, 26,000 blocks for one query at a million articles (migration 0009).
# The vectors are copied from TABLE's, never tokenised twice.
HEADLINES_TABLE = "search_article_pg_headlines"
CREATE_SQL += [
    f"""CREATE TABLE IF NOT EXISTS {HEADLINES_TABLE} (
        rowid integer PRIMARY KEY,
        published bigint NOT NULL,
        section_id integer,
        type_of_work varchar(20) NOT NULL,
        headline tsvector NOT NULL
    )""",
    f"CREATE INDEX IF NOT EXISTS {HEADLINES_TABLE}_headline ON {HEADLINES_TABLE} "
    "USING gin (headline)",
    f"CREATE INDEX IF NOT EXISTS {HEADLINES_TABLE}_published "
    f"ON {HEADLINES_TABLE} (published DESC)",
]
COPY_HEADLINES_SQL = (
    f"INSERT INTO {HEADLINES_TABLE} (rowid, published, section_id, type_of_work, "
    f"headline) SELECT rowid, published, section_id, type_of_work, headline "
    f"FROM {TABLE}"
)
DROP_SQL = [
    f"DROP TABLE IF EXISTS {t}"
    for t in (
        HEADLINES_TABLE,
        TOPICS_TABLE,
        SPELLING_TABLE,
        LEXEMES_TABLE,
        WORDS_TABLE,
        TABLE,
    )
]


def recreate():
    with connection.cursor() as cursor:
        for statement in [*DROP_SQL, *CREATE_SQL]:
            cursor.execute(statement)


def use_language(language_code):
    """Stem with the language's Snowball stemmer (unstemmed when PostgreSQL has
    none), after unaccent; re-derive the stored vectors if that changed.

    Run after every migrate (apps.py), with settings.LANGUAGE_CODE.
    """
    language = STEMMED.get(language_code.split("-")[0].lower())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT dictname FROM pg_ts_dict WHERE dictname = %s", [f"{language}_stem"]
        )
        row = cursor.fetchone()
        dictionary = row[0] if row else "simple"
        cursor.execute(
            "SELECT obj_description(oid, 'pg_ts_config') FROM pg_ts_config "
            "WHERE cfgname = %s",
            [CONFIG],
        )
        row = cursor.fetchone()
        if row is None or row[0] == dictionary:
            return False
        # The name comes from pg_ts_dict, never from input; quoted all the same.
        name = connection.ops.quote_name(dictionary)
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR "
            f"{WORD_TOKENS} WITH unaccent, {name}"
        )
        cursor.execute(
            f"COMMENT ON TEXT SEARCH CONFIGURATION {CONFIG} IS %s", [dictionary]
        )
        # An update recomputes the generated vectors with the new stemmer.
        cursor.execute(f"UPDATE {TABLE} SET title = title")
        cursor.execute(f"DELETE FROM {HEADLINES_TABLE}")
        cursor.execute(COPY_HEADLINES_SQL)
        cursor.execute(f"UPDATE {TOPICS_TABLE} SET name = name")
        cursor.execute(f"DELETE FROM {LEXEMES_TABLE}")
        cursor.execute(
            f"INSERT INTO {LEXEMES_TABLE} (lexeme, doc) SELECT lexeme, COUNT(*) "
            f"FROM {TABLE}, unnest(document) GROUP BY lexeme"
        )
    return True
