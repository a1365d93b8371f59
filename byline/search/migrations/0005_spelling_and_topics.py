"""Two new search tables on each database, filled from what exists:

- deletion variants of the "Did you mean" vocabulary, so that a misspelling
  two edits away ("Olimpics") is corrected with one indexed lookup;
- the names of authors, sections and tags, so that a query finds them.

The SQL is this migration's own (as the tables are at this point), and so is
the variant function: later changes to the live modules do not change it.
"""


from django.db import migrations

SQLITE = [
    "CREATE TABLE IF NOT EXISTS search_article_spelling (variant TEXT NOT NULL, "
    "term TEXT NOT NULL, PRIMARY KEY (variant, term)) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_topic_fts USING fts5("
    "name, tokenize = 'porter unicode61 remove_diacritics 2')",
]
POSTGRES = [
    """CREATE TABLE IF NOT EXISTS search_article_spelling (
        variant text NOT NULL,
        term text NOT NULL,
        PRIMARY KEY (variant, term)
    )""",
    """CREATE TABLE IF NOT EXISTS search_topic_pg (
        kind varchar(10) NOT NULL,
        ref bigint NOT NULL,
        name text NOT NULL,
        document tsvector GENERATED ALWAYS AS (to_tsvector('english', name)) STORED,
        PRIMARY KEY (kind, ref)
    )""",
    "CREATE INDEX IF NOT EXISTS search_topic_pg_document ON search_topic_pg "
    "USING gin (document)",
]
KINDS = {"author": 1, "section": 2, "tag": 3}


def _variants(word):
    found, frontier = {word}, {word}
    for _ in range(2):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _spelling_rows(words):
    return [
        (variant, word)
        for word in words
        if 4 <= len(word) <= 24 and not word.isdigit()
        for variant in _variants(word)
    ]


def _topics(apps):
    Author = apps.get_model("news", "Author")
    SectionPage = apps.get_model("news", "SectionPage")
    Tag = apps.get_model("taggit", "Tag")
    rows = [("author", pk, name) for pk, name in Author.objects.values_list("pk", "name")]
    rows += [
        ("section", pk, title)
        for pk, title in SectionPage.objects.filter(live=True).values_list("pk", "title")
    ]
    rows += [("tag", pk, name) for pk, name in Tag.objects.values_list("pk", "name")]
    return rows


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in SQLITE if vendor == "sqlite" else POSTGRES:
            cursor.execute(statement)
        if vendor == "sqlite":
            cursor.execute("SELECT term FROM search_article_words_vocab")
        else:
            cursor.execute("SELECT term FROM search_article_pg_words WHERE doc > 0")
        words = sorted({row[0] for row in cursor.fetchall()})
        insert = (
            "INSERT OR IGNORE INTO search_article_spelling VALUES (%s, %s)"
            if vendor == "sqlite"
            else "INSERT INTO search_article_spelling VALUES (%s, %s) "
            "ON CONFLICT DO NOTHING"
        )
        cursor.executemany(insert, _spelling_rows(words))
        topics = _topics(apps)
        if vendor == "sqlite":
            cursor.executemany(
                "INSERT INTO search_topic_fts (rowid, name) VALUES (%s, %s)",
                [(KINDS[kind] + 4 * pk, name) for kind, pk, name in topics],
            )
        else:
            cursor.executemany(
                "INSERT INTO search_topic_pg (kind, ref, name) VALUES (%s, %s, %s)",
                topics,
            )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    topics = {"sqlite": "search_topic_fts", "postgresql": "search_topic_pg"}
    if vendor in topics:
        schema_editor.execute(f"DROP TABLE IF EXISTS {topics[vendor]}")
        schema_editor.execute("DROP TABLE IF EXISTS search_article_spelling")


class Migration(migrations.Migration):
    dependencies = [
        ("byline_search", "0004_public_articles_only"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create, drop)]
