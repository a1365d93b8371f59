"""Planner statistics after bulk changes (ANALYZE), right for mostly-empty columns.

SQLite's ANALYZE records, per index, how many rows share one value of its
first column on average (`sqlite_stat1`), and it counts every NULL as that one
value. Wagtail's page table has indexed columns that are NULL in nearly every
row: `alias_of_id`, `locked_by_id`, and after a bulk import the revision
columns. Their statistics then say that `alias_of_id = 42` matches the whole
table, and the planner reads every page in path order instead of the index:
each publish's `update_aliases` look-up took 260 ms at a million articles
(bench/README.md, "one publish's refresh at a million"). An equality never
matches NULL, so for these indexes the figure is set to the rows per value
among non-NULL rows, as SQLite's documentation allows ("the sqlite_stat1 table
may be changed by applications"; https://www.sqlite.org/fileformat2.html,
"The sqlite_stat1 table"), and the planner reloads it (`ANALYZE
sqlite_schema`). PostgreSQL's ANALYZE keeps the NULL fraction apart, so it
needs none of this.
"""

from django.db import connection

# An index's first column is corrected when at least this share of rows is NULL.
NULL_SHARE = 0.5


def refresh():
    """ANALYZE, with the NULL-heavy indexes corrected on SQLite."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            corrected = []
            for table, index, stat in _indexes(cursor):
                better = _without_nulls(cursor, table, index, stat)
                if better is not None:
                    corrected.append((better, table, index))
            if corrected:
                cursor.executemany(
                    "UPDATE sqlite_stat1 SET stat = %s WHERE tbl = %s AND idx = %s",
                    corrected,
                )
                cursor.execute("ANALYZE sqlite_schema")


def _indexes(cursor):
    cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IS NOT NULL")
    return cursor.fetchall()


def _without_nulls(cursor, table, index, stat):
    """The stat line with its first column's figure counted over non-NULL rows,
    or None when that column is not mostly NULL."""
    parts = stat.split()
    numbers = [p for p in parts if p.isdigit()]
    extra = [p for p in parts if not p.isdigit()]
    if len(numbers) < 2:
        return None
    total, per_value = int(numbers[0]), int(numbers[1])
    if total == 0 or per_value < total * NULL_SHARE:
        return None
    cursor.execute(f'PRAGMA index_info("{index}")')
    columns = [row[2] for row in cursor.fetchall()]
    if not columns or columns[0] is None:  # an index on an expression
        return None
    column = connection.ops.quote_name(columns[0])
    cursor.execute(
        f"SELECT COUNT(*) - COUNT({column}), COUNT(DISTINCT {column}) "
        f"FROM {connection.ops.quote_name(table)}"
    )
    nulls, distinct = cursor.fetchone()
    if nulls < total * NULL_SHARE:
        return None
    non_null = total - nulls
    first = max(1, -(-non_null // distinct)) if distinct else 1
    rest = [str(min(int(n), first)) for n in numbers[2:]]
    return " ".join([str(total), str(first), *rest, *extra])
