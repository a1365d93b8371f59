"""Many new rows at once without the ORM's per-value compiling (an import's
pages, articles and provenance records): by COPY on PostgreSQL, by multi-row
INSERTs on SQLite.

A batch of 500 imported articles was one INSERT of 14,000 placeholders for the
page rows and an `executemany` for the article rows. Django's PostgreSQL backend
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
`bulk_create` prepares them; importers' test_bulk and this module's tests
compare the rows with the ORM's. `bulk_create` itself sends a column's values
as one array (UNNEST), which psycopg also quotes element by element in Python:
for the signed records' texts, 7 % of the import's CPU.

On SQLite, `bulk_create` spent more time compiling its statement (a
placeholder and a value per field per object, through the ORM's compiler: 6 %
of the import process at 400,000 articles) than SQLite spent running it. `create`
writes the prepared values in multi-row INSERTs that return the new ids, in
the rows' order, as `bulk_create` itself relies on there.

Django's PostgreSQL debug cursor logs a COPY as a query (test_statements
counts these two, and the ids' statement); execute wrappers do not see it.
Its errors are raised as Django's, as bulk_create's are.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections

from byline.core import values_ahead
from byline.core.internals import database_errors_as_djangos


def create(model, objs):
    """Insert unsaved instances of a model without parents, as
    `model.objects.bulk_create(objs)` would, and give them their ids: by COPY
    on PostgreSQL, by INSERTs of many rows on SQLite, when there are several."""
    if connection.vendor not in ("postgresql", "sqlite") or len(objs) < 2:
        return model.objects.bulk_create(objs)
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{model.__name__} has parent models: bulk.py writes those")
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    if connection.vendor == "sqlite":
        ids = insert_rows(meta.db_table, meta.pk.column, fields, objs)
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
    else:
        copy_with_new_ids(meta, fields, objs)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def insert_rows(table, pk_column, fields, objs):
    """SQLite: insert the objects' rows of `fields` in as few statements as
    its limit on parameters allows; return their new ids, in order."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "({})".format(", ".join(["%s"] * len(fields)))
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    ids = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) VALUES "
                + ", ".join([row] * len(chunk))
                + f" RETURNING {quote(pk_column)}",
                [value for values in prepared(fields, chunk) for value in values],
            )
            ids += [found[0] for found in cursor.fetchall()]
    return ids


def prepared(fields, objs):
    """Each object's values of `fields`, as the ORM prepares them to save."""
    # This thread's connection itself, looked up once: django.db.connection
    # looks it up (asgiref's context-local storage) on every attribute read,
    # and preparing a value reads it. 4 % of an import's CPU.
    current = connections[DEFAULT_DB_ALIAS]
    # Values an import's worker prepared already (core/values_ahead.py).
    return [values_ahead.row(fields, obj, current) for obj in objs]


def copy_with_new_ids(meta, fields, objs):
    """PostgreSQL: give the objects new ids from the sequence of `meta`'s
    table (`obj.pk`, which for a child model sets its parent's id too), then
    write their rows of those ids and `fields` by COPY."""
    ids = take_ids(meta.db_table, meta.pk.column, len(objs))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
    copy_rows(
        meta.db_table,
        [meta.pk.column, *(f.column for f in fields)],
        ([pk, *row] for pk, row in zip(ids, prepared(fields, objs), strict=True)),
    )


def take_ids(table, column, count):
    """Return `count` new ids from the sequence of `table`'s `column`."""
    with connection.cursor() as cursor:
        # pg_get_serial_sequence reads its first argument as SQL would: a
        # table name with capitals or dots must be quoted (Meta.db_table).
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(table, columns, rows):
    """Write rows (sequences of prepared values, in `columns`' order)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # The COPY's errors as Django's (IntegrityError, DataError...), as an
    # INSERT's are: Django's cursor wraps execute() and fetches, not copy().
    with connection.cursor() as cursor, database_errors_as_djangos(connection):
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
