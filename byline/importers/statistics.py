"""The planner's statistics during and after a bulk import.

A bulk import changes the tables' shapes far more than daily publishing does.
Without statistics SQLite joined the home page's section list from the page
table (10,000 rows read); with them, SQLite counts every NULL as one value
(core migration 0005 keeps the mostly-NULL columns' look-ups on their own
indexes). PostgreSQL plans each statement from statistics that a long import
outgrows: at 565,000 articles, looking up a batch's 500 search index entries
read every article's entry (413 ms a batch), planned for the 10,000 rows the
statistics still counted.
"""

from django.db import connection, transaction

# Articles written before PostgreSQL's statistics are first taken again.
FIRST = 5_000


def refresh():
    """ANALYZE every table (as an import grows, and after one).

    On SQLite, the tables that hold rows, not the shadow tables in which the
    full-text indexes keep their own copies of the texts: ANALYZE counts a
    table without an index by reading every page of it, and those are the
    largest tables of the file (a million articles' bodies three times over),
    which only FTS5 reads, each by its key. The planner has no choice there.
    """
    with connection.cursor() as cursor:
        tables = _sqlite_tables(cursor) if connection.vendor == "sqlite" else None
        if tables is None:
            cursor.execute("ANALYZE")
            return
        quote = connection.ops.quote_name
        for name in tables:
            # Named with its schema: a bare name finds a TEMP table first.
            cursor.execute(f"ANALYZE main.{quote(name)}")


def _sqlite_tables(cursor):
    """The names of the database's ordinary tables (not views, virtual tables,
    their shadow tables or SQLite's own), or None if SQLite is older than
    3.37, whose `table_list` pragma tells them apart."""
    cursor.execute("PRAGMA main.table_list")
    if cursor.description is None:  # an unknown pragma returns nothing
        return None
    columns = [column[0] for column in cursor.description]
    return sorted(
        row[columns.index("name")]
        for row in cursor.fetchall()
        if row[columns.index("type")] == "table"
        and not row[columns.index("name")].startswith("sqlite_")
    )


def settle():
    """After an import: on PostgreSQL, VACUUM (ANALYZE) every table, as
    autovacuum would in time. The first reader of each new row otherwise
    writes its hint bits (a search right after a million-article import
    dirtied and wrote hundreds of blocks), and until the visibility map marks
    the pages all-visible a search's capped count visits every row it counts
    (30 % of the count's time at a million). 34 s at a million articles.
    Inside a transaction (a caller's, a test's) VACUUM cannot run: ANALYZE."""
    if connection.vendor != "postgresql" or not transaction.get_autocommit():
        refresh()
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


class AsItGrows:
    """On PostgreSQL, take the statistics again each time an import has
    doubled what it wrote (5,000, 10,000, 20,000, … articles: a dozen times a
    million, each ANALYZE sampling a fixed number of rows a table), as
    autovacuum's autoanalyze would; an import cannot count on that (it may be
    off, or behind). SQLite's ANALYZE reads every row: it runs once, at the
    end of the import."""

    def __init__(self):
        self.next = FIRST

    def written(self, count):
        """Note that the import has written `count` articles so far."""
        if connection.vendor == "postgresql" and count >= self.next:
            refresh()
            self.next = 2 * count
