"""Wagtail's index refreshes its title norms without reading the whole table.

After every `add_bulk` (each import batch, each publish), Wagtail's database
backend (`_refresh_title_norms`) averages the length of every indexed title,
then sets the norm of the entries still at 1.0, the new ones. Neither statement
could use an index, so each read every row of `wagtailsearch_indexentry`,
whose title comes after the body (its overflow pages too, on SQLite): the
import's cost per batch grew with the archive (about 0.15 s a batch at 10,000
articles, bench/README.md, "2026-12-06: the import's title norms"). An
index on the norm lets the update find the new entries; on SQLite, one on the
title's length lets the average read that small index instead of the table
(PostgreSQL would still read each row for it, so it gets the first one only).
Both statements compute what they did.

SQLite also re-indexed every updated entry in its FTS5 table: Wagtail's
trigger ran on an UPDATE of any column, so setting a new entry's norm (a
column the FTS5 table does not hold) deleted and wrote its words again. The
trigger now runs on updates of the three columns it copies, as it did for them.
"""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
NORM_INDEX = (
    f"CREATE INDEX IF NOT EXISTS byline_indexentry_title_norm ON {TABLE} (title_norm)"
)
LENGTH_INDEX = (
    "CREATE INDEX IF NOT EXISTS byline_indexentry_title_length "
    f"ON {TABLE} (length(title))"
)
INDEXES = {"sqlite": [NORM_INDEX, LENGTH_INDEX], "postgresql": [NORM_INDEX]}
UNINDEX = [
    "DROP INDEX IF EXISTS byline_indexentry_title_length",
    "DROP INDEX IF EXISTS byline_indexentry_title_norm",
]
TRIGGER = "update_wagtailsearch_indexentry_fts"
# Wagtail's trigger (wagtail/search/migrations/0006), as it creates it, and ours.
COPY = (
    f"BEGIN UPDATE {TABLE}_fts SET title=NEW.title, body=NEW.body, "
    "autocomplete=NEW.autocomplete WHERE rowid=NEW.id; END"
)
WAGTAIL_TRIGGER = f"CREATE TRIGGER {TRIGGER} AFTER UPDATE ON {TABLE} {COPY}"
OUR_TRIGGER = (
    f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OF title, body, autocomplete "
    f"ON {TABLE} {COPY}"
)


def has_trigger(cursor):
    cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [TRIGGER]
    )
    return cursor.fetchone() is not None


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in INDEXES:
        return
    with connection.cursor() as cursor:
        for statement in INDEXES[connection.vendor]:
            cursor.execute(statement)
        if connection.vendor == "sqlite" and has_trigger(cursor):
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
            cursor.execute(OUR_TRIGGER)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor not in INDEXES:
        return
    with connection.cursor() as cursor:
        for statement in UNINDEX:
            cursor.execute(statement)
        if connection.vendor == "sqlite" and has_trigger(cursor):
            cursor.execute(f"DROP TRIGGER {TRIGGER}")
            cursor.execute(WAGTAIL_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("byline_search", "0006_every_script_and_accent"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
