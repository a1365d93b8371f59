"""PostgreSQL: many new articles' page and article rows written by COPY.

A batch of 500 articles was one INSERT of 14,500 placeholders for the page
rows and an `executemany` for the article rows. Django's PostgreSQL backend
binds parameters on the client (psycopg's client-side cursor): each statement
is split at its placeholders and every value quoted into the SQL in Python.
For the page rows' statement, too long for psycopg's cache of converted
queries, that conversion was a quarter of the import process's CPU at a
million articles (py-spy, bench/README.md, "ninth session"), and the server
then parsed and planned the whole statement.

COPY sends the rows as data, formatted by psycopg's C adapters, through its
public `Cursor.copy()`. COPY returns no ids, so the page ids are taken from
the page table's sequence first, as the database's default would take them.
Values are prepared by each field's `pre_save` and `get_db_prep_save`, as
bulk.py prepares them; test_bulk compares the rows with the ORM's.

Django's PostgreSQL debug cursor logs a COPY as a query (test_statements
counts these two, and the ids' statement); execute wrappers do not see it.
"""

from django.db import connection


def take_ids(table, count):
    """Return `count` new ids from the sequence of `table`'s id column."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table, columns, rows):
    """Write rows (sequences of prepared values, in `columns`' order)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
