"""Search migrations carry the SQL of their own time, and migrating from zero
still ends at the layout today's code expects, on SQLite and PostgreSQL."""

import ast
from pathlib import Path

from django.core.management import call_command
from django.db import connection

BYLINE = Path(__file__).resolve().parents[2]


def migration_imports(path):
    """Return the modules a migration file imports."""
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


def test_migrations_that_run_sql_or_code_import_no_live_byline_module():
    """A migration that reads SQL or code from a live module replays today's
    layout instead of its own: every RunPython/RunSQL migration is frozen."""
    offenders = []
    for path in sorted(BYLINE.glob("*/migrations/0*.py")):
        if "RunPython" not in path.read_text() and "RunSQL" not in path.read_text():
            continue
        for name in migration_imports(path):
            if name.startswith("byline.") and ".migrations" not in name:
                offenders.append(f"{path.relative_to(BYLINE)} imports {name}")
    assert offenders == []


def search_layout():
    """Return the search tables, columns and indexes as the database has them."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE name LIKE 'search_article%' ORDER BY name"
            )
            return cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), "
            "a.attnotnull, pg_get_expr(d.adbin, d.adrelid) "
            "FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum "
            "WHERE c.relname LIKE 'search_article%%' AND c.relkind = 'r' "
            "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, a.attnum"
        )
        columns = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename LIKE 'search_article%%' ORDER BY 1"
        )
        return columns + cursor.fetchall()


def table_names():
    """Return the names of the search tables (PostgreSQL)."""
    return {row[0] for row in search_layout() if len(row) == 5}


def live_sql():
    from byline.search import fts_postgres, fts_sqlite

    module = fts_sqlite if connection.vendor == "sqlite" else fts_postgres
    return [*module.DROP_SQL, *module.CREATE_SQL]


def test_migrating_search_from_zero_replays_its_history_and_ends_current(
    transactional_db,
):
    """Migrating from zero builds each step's own layout (on PostgreSQL 0002
    has no lexeme table yet) and ends at exactly the layout of today's code."""
    try:
        call_command("migrate", "byline_search", "zero", verbosity=0)
        assert search_layout() == []
        call_command("migrate", "byline_search", "0002", verbosity=0)
        if connection.vendor == "postgresql":
            assert "search_article_pg" in table_names()
            assert "search_article_pg_lexemes" not in table_names()
    finally:
        call_command("migrate", "byline_search", verbosity=0)
    migrated = search_layout()
    assert migrated
    with connection.cursor() as cursor:
        for statement in live_sql():
            cursor.execute(statement)
    assert search_layout() == migrated
