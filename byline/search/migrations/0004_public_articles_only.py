"""The search index holds public articles only (security review, M1).

Until now private articles were indexed and filtered out at query time, which
suggestions and the "Did you mean" vocabulary did not do. This takes out of the
index every article that is not live or sits under a view restriction. The SQL
is this migration's own, as the tables were at this point.
"""

from collections import Counter
import re

from django.db import migrations

WORD = re.compile(r"\w+")


def _hidden_ids(apps, indexed):
    ArticlePage = apps.get_model("news", "ArticlePage")
    Restriction = apps.get_model("wagtailcore", "PageViewRestriction")
    restricted = list(Restriction.objects.values_list("page__path", flat=True))
    public = set()
    for pk, path in ArticlePage.objects.filter(live=True).values_list("pk", "path"):
        if not any(path.startswith(r) for r in restricted):
            public.add(pk)
    return sorted(set(indexed) - public)


def remove_non_public(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("SELECT rowid FROM search_article_fts")
            ids = _hidden_ids(apps, [row[0] for row in cursor.fetchall()])
            for pk in ids:
                cursor.execute("DELETE FROM search_article_fts WHERE rowid = %s", [pk])
                cursor.execute(
                    "DELETE FROM search_article_words WHERE rowid = %s", [pk]
                )
        elif vendor == "postgresql":
            cursor.execute("SELECT rowid FROM search_article_pg")
            ids = _hidden_ids(apps, [row[0] for row in cursor.fetchall()])
            if ids:
                _remove_postgres(cursor, ids)


def _remove_postgres(cursor, ids):
    cursor.execute(
        "INSERT INTO search_article_pg_lexemes AS l (lexeme, doc) "
        "SELECT lexeme, -COUNT(*) FROM search_article_pg, unnest(document) "
        "WHERE rowid = ANY(%s) GROUP BY lexeme "
        "ON CONFLICT (lexeme) DO UPDATE SET doc = l.doc + EXCLUDED.doc",
        [ids],
    )
    cursor.execute("DELETE FROM search_article_pg_lexemes WHERE doc <= 0")
    cursor.execute(
        "DELETE FROM search_article_pg WHERE rowid = ANY(%s) "
        "RETURNING title, standfirst",
        [ids],
    )
    counts = Counter(
        word
        for title, standfirst in cursor.fetchall()
        for word in set(WORD.findall(f"{title} {standfirst}".lower()))
    )
    for term, count in counts.items():
        cursor.execute(
            "UPDATE search_article_pg_words SET doc = doc - %s WHERE term = %s",
            [count, term],
        )
    cursor.execute("DELETE FROM search_article_pg_words WHERE doc <= 0")


class Migration(migrations.Migration):
    dependencies = [
        ("byline_search", "0003_postgres_lexeme_counts"),
        ("news", "0003_articlepage_methods"),
    ]

    operations = [migrations.RunPython(remove_non_public, migrations.RunPython.noop)]
