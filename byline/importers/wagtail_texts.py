"""The texts of Wagtail's search entries, read once an object through the
backend's own `ObjectIndexer.prepare_field` (wagtail_index.py writes them),
and a new article's SQLite entry worked out ahead, in an import's worker
process (prepare.py), as its canonical and index texts are."""

from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from wagtail.search.backends import get_search_backend

from byline.core import remembered

SQLITE_INDEX = "modelsearch.backends.database.sqlite.sqlite.SQLiteIndex"
# Where remember_sqlite_entry keeps an article's texts (core/remembered.py).
KNOWN_SQLITE_ENTRY = "_byline_sqlite_entry"
SOURCES = ("title", "standfirst", "body")


def index_kind(index):
    return type(index).__module__ + "." + type(index).__qualname__


def text_fields(fields):
    """The search fields that can yield texts: RelatedFields of filters only
    yield none, and reading them would fetch the related rows."""
    kept = []
    for field in fields:
        if isinstance(field, (SearchField, AutocompleteField)):
            kept.append(field)
        elif isinstance(field, RelatedFields) and text_fields(field.fields):
            kept.append(field)
    return kept


def texts_of(indexer, obj, fields):
    """Return ([(title text, weight)], [(body …)], [(autocomplete …)]), read
    once from `ObjectIndexer.prepare_field` (SQLite's yields no weight)."""
    title, body, autocomplete = [], [], []
    for field in fields:
        for current, *weight, value in indexer.prepare_field(obj, field):
            text = (value, weight[0] if weight else None)
            if isinstance(current, AutocompleteField):
                autocomplete.append(text)
            elif current.field_name == "title":
                title.append(text)
            else:
                body.append(text)
    return title, body, autocomplete


def joined(texts):
    """PostgreSQL's title_text and body_text: the stripped non-empty texts."""
    return " ".join(text.strip() for text, _ in texts if text.strip())


def _sources(article):
    """What an article's entry texts are made from: its headline, standfirst
    and body (ArticlePage's search fields: title, standfirst, and search_text,
    the body's text). test_prepare pins the texts remembered ahead to the
    ones the stored article gives."""
    return tuple(getattr(article, name, None) for name in SOURCES)


def sqlite_entry(indexer, obj, fields):
    """(title, autocomplete, body) of `obj`'s entry, as SQLiteIndex.add_items
    joins them."""
    title, body, autocomplete = texts_of(indexer, obj, fields)
    return tuple(
        " ".join(text for text, _ in texts) for texts in (title, autocomplete, body)
    )


# The backend whose SQLite entries `remember_sqlite_entry` works out, by model:
# found by `find_sqlite_backend` in the importing process before its worker
# is forked (building a backend may query the database: modelsearch checks
# for its FTS table the first time), so the worker never has to.
_FOUND = {}


def find_sqlite_backend(model):
    """In the importing process: find whether the default search backend
    writes `model`'s entries to SQLite (wagtail_index's `_write_sqlite`), for
    the workers it forks afterwards."""
    backend = get_search_backend()
    index = backend.get_index_for_model(model)
    _FOUND[model] = backend if index_kind(index) == SQLITE_INDEX else None


def remember_sqlite_entry(article):
    """Work out a new article's SQLite entry texts ahead (an import's worker
    process: importers/prepare.py); wagtail_index's `_write_sqlite` uses them
    while its headline, standfirst and body are unchanged. Nothing unless
    `find_sqlite_backend` found a SQLite backend (never on PostgreSQL): its
    ObjectIndexer reads only the backend's settings, not the database."""
    backend = _FOUND.get(type(article))
    if backend is None:
        return
    from modelsearch.backends.database.sqlite import sqlite  # noqa: PLC0415

    fields = text_fields(type(article).get_search_fields())
    texts = sqlite_entry(sqlite.ObjectIndexer(article, backend), article, fields)
    remembered.remember(article, KNOWN_SQLITE_ENTRY, _sources(article), texts)


def recall_sqlite_entry(obj):
    """The texts remember_sqlite_entry worked out for `obj`, if its headline,
    standfirst and body are still the ones they were made from, else None."""
    return remembered.recall(obj, KNOWN_SQLITE_ENTRY, _sources(obj))
