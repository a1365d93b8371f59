"""A SQLite connection's settings for a bulk write (an import), put back after.

- `wal_autocheckpoint`: SQLite copies the write-ahead log into the database
  file (and syncs both) at the first commit after the log passes this many
  pages, 1,000 (4 MB) by default: after every one of an import's batches,
  which write tens of megabytes each. At 25,000 pages (100 MB) it copies every
  few batches, once for pages that several batches wrote (the full-text
  indexes' structure, the B-trees' upper pages): 4 to 6 % of a 30,000-article
  import (bench/README.md, "tenth session").
- `cache_size`: 2 MB of pages by default; an import into a large archive
  reads index pages all over the file. 256 MB, for this connection only.

PostgreSQL and others are left as they are.
"""

from contextlib import contextmanager

from django.db import connection

BULK_PRAGMAS = {"wal_autocheckpoint": 25_000, "cache_size": -256 * 1024}


def _pragma(cursor, name, value=None):
    if value is not None:
        cursor.execute(f"PRAGMA {name} = {int(value)}")
    cursor.execute(f"PRAGMA {name}")
    return cursor.fetchone()[0]


@contextmanager
def bulk_writes():
    """Within: the default connection set for long runs of large writes."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {name: _pragma(cursor, name) for name in BULK_PRAGMAS}
        for name, value in BULK_PRAGMAS.items():
            _pragma(cursor, name, value)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                _pragma(cursor, name, value)
