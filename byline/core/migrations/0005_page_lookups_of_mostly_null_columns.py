"""SQLite looks pages up by their alias and their lock through indexes of the
pages that have one.

Wagtail asks for a page's aliases on every publish (`update_aliases`: `…
WHERE alias_of_id = %s`), and `alias_of_id` and `locked_by_id` are NULL in
nearly every row. After an ANALYZE (each bulk import runs one), SQLite's
statistics count every NULL as one value shared by the whole table, so
`alias_of_id = 42` looked as if it matched every page, and the planner read
the page table in path order instead of Wagtail's index: 254–261 ms a publish
at a million articles (bench/README.md, "the million with today's code").
An index holding only the rows with a value counts only those, so an equality
(never true for NULL) uses it, while `IS NULL` filters over a subtree keep the
path index, as before. PostgreSQL's ANALYZE keeps the NULL fraction apart and
needs none of this.
"""

from django.db import migrations

INDEXES = {
    "byline_page_alias_of_set": "alias_of_id",
    "byline_page_locked_by_set": "locked_by_id",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON wagtailcore_page ({column}) "
            f"WHERE {column} IS NOT NULL"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_rate_counter"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
