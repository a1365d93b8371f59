"""Django's SQLite backend, converting each distinct SQL text to SQLite's
placeholders once.

Django rewrites every query's `%s` placeholders to `?` with a regular
expression before SQLite sees it. The pages readers load run the same few
statements over and over (byline.core.prepared compiles them once), so the
rewriting of the same text was repeated each time: 3 % of an article page.
"""

from functools import lru_cache

from django.db.backends.sqlite3 import base

# Bulk inserts write long statements that are never seen again: only the
# lengths of ordinary queries are remembered.
LONGEST_REMEMBERED = 16_384


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= LONGEST_REMEMBERED:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


@lru_cache(maxsize=2048)
def _qmark(query):
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
