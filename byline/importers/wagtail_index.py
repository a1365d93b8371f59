"""Write Wagtail's search index entries of an import batch in a few statements.

This mirrors what Wagtail's database search backend (modelsearch 1.3.2, the
one Wagtail 8.0 ships) writes in `add_bulk(model, objects)`:

- PostgreSQL, `modelsearch/backends/database/postgres/postgres.py`,
  `PostgresIndex.add_items`: one entry a page, `title`, `autocomplete` and
  `body` the sums (`||`) of `setweight(to_tsvector(config, text), weight)` of
  the object's non-empty texts in search-field order (`ObjectIndexer`'s
  `as_vector`; autocomplete in the backend's `autocomplete_config`, 'simple'),
  `title_text` and `body_text` the same texts joined by spaces, `title_norm`
  1.0; an existing entry is overwritten (`ON CONFLICT … DO UPDATE`, norm back
  to 1.0).
- SQLite, `modelsearch/backends/database/sqlite/sqlite.py`,
  `SQLiteIndex.add_items`: the texts joined by spaces; an existing entry gets
  new `title`, `autocomplete` and `body` and keeps its norm; a new one gets the
  model's defaults. Wagtail's trigger copies each entry into its FTS5 table.
- Both then run the index's `_refresh_title_norms()`, which we call.

Wagtail compiles three `SearchVector` expressions an entry through the ORM
(12 placeholders) and reads every field three times: a third of the import's
client CPU on PostgreSQL (bench/README.md, "2026-12-06: the import on
PostgreSQL"). Here each object's texts are read once, through the backend's
own `ObjectIndexer.prepare_field`, and the batch is written by one
`INSERT … SELECT … FROM unnest(…)` (PostgreSQL) or `executemany` (SQLite).
Related fields that hold no searchable text (ArticlePage's authors: filters
only) are skipped, so they are not fetched. An empty text is kept as '' in
its place: its vector is empty, and `||` with an empty vector changes nothing.

`test_wagtail_index` compares the rows written here with `add_bulk`'s, new and
changed, on both databases; it fails if Wagtail changes what it writes. Other
backends (Elasticsearch …) get `add_bulk` itself.
"""

from django.db import connections, router
from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.utils import get_content_type_pk


def add_bulk(backend, model, objects):
    """Index `objects` of `model` in `backend` as `backend.add_bulk` does."""
    index = backend.get_index_for_model(model)
    kind = type(index).__module__ + "." + type(index).__qualname__
    writer = WRITERS.get(kind)
    if writer is None or not model.get_search_fields() or not objects:
        backend.add_bulk(model, objects)
        return
    writer(index, model, objects)


def _text_fields(fields):
    """The search fields that can yield texts: RelatedFields of filters only
    yield none, and reading them would fetch the related rows."""
    kept = []
    for field in fields:
        if isinstance(field, (SearchField, AutocompleteField)):
            kept.append(field)
        elif isinstance(field, RelatedFields) and _text_fields(field.fields):
            kept.append(field)
    return kept


def _texts(indexer, obj, fields):
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


def _joined(texts):
    """PostgreSQL's title_text and body_text: the stripped non-empty texts."""
    return " ".join(text.strip() for text, _ in texts if text.strip())


def _write_postgres(index, model, objects):
    # Loaded on its own database only: each backend's module reads models that
    # exist on that database alone.
    from modelsearch.backends.database.postgres import postgres  # noqa: PLC0415

    IndexEntry, ObjectIndexer = postgres.IndexEntry, postgres.ObjectIndexer

    fields = _text_fields(model.get_search_fields())
    shapes = {}  # the weights of each column's texts: one statement per shape
    for obj in objects:
        indexer = ObjectIndexer(obj, index.backend)
        title, body, autocomplete = _texts(indexer, obj, fields)
        columns = (title, body, autocomplete)
        shape = tuple(tuple(weight for _, weight in texts) for texts in columns)
        row = [force_str(obj.pk), _joined(title), _joined(body)]
        row += [text.strip() for texts in columns for text, _ in texts]
        shapes.setdefault(shape, []).append(row)
    connection = connections[router.db_for_write(IndexEntry)]
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    content_type = get_content_type_pk(model)
    with connection.cursor() as cursor:
        for shape, rows in shapes.items():
            sql, params = _postgres_sql(table, shape, index.backend)
            columns = [list(column) for column in zip(*rows, strict=True)]
            cursor.execute(sql, [content_type, *params, *columns])
    index._refresh_title_norms()


def _postgres_sql(table, shape, backend):
    """Return the INSERT for entries of one shape (the weights of the title's,
    body's and autocomplete's texts) and its parameters between the content
    type and the column arrays."""
    vectors, params, n = {}, {}, 0
    for name, weights, text_config in zip(
        ("title", "body", "autocomplete"),
        shape,
        (backend.config, backend.config, backend.autocomplete_config),
        strict=True,
    ):
        parts, params[name] = [], []
        for weight in weights:
            # SearchVector(Value(text), config=…, weight=…), as ObjectIndexer
            # builds them; ADD joins them with ||.
            if text_config:
                parts.append(f"setweight(to_tsvector(%s::regconfig, e.t{n}), %s)")
                params[name] += [text_config, weight]
            else:
                parts.append(f"setweight(to_tsvector(e.t{n}), %s)")
                params[name].append(weight)
            n += 1
        # EMPTY_VECTOR when an object has no text for the column.
        vectors[name] = " || ".join(parts) or "to_tsvector('')"
    names = ", ".join(
        ["object_id", "title_text", "body_text"] + [f"t{i}" for i in range(n)]
    )
    arrays = ", ".join(["%s::text[]"] * (n + 3))
    # Columns, values and conflict clause as PostgresIndex.add_items has them.
    sql = f"""
        INSERT INTO {table} (content_type_id, object_id, title, autocomplete,
                             body, title_norm, title_text, body_text)
        SELECT %s, e.object_id, {vectors["title"]}, {vectors["autocomplete"]},
               {vectors["body"]}, 1.0, e.title_text, e.body_text
        FROM unnest({arrays}) AS e({names})
        ON CONFLICT (content_type_id, object_id)
        DO UPDATE SET title = EXCLUDED.title,
                      title_norm = 1.0,
                      autocomplete = EXCLUDED.autocomplete,
                      body = EXCLUDED.body,
                      title_text = EXCLUDED.title_text,
                      body_text = EXCLUDED.body_text
    """
    return sql, params["title"] + params["autocomplete"] + params["body"]


def _write_sqlite(index, model, objects):
    from modelsearch.backends.database.sqlite import sqlite  # noqa: PLC0415

    IndexEntry, ObjectIndexer = sqlite.IndexEntry, sqlite.ObjectIndexer

    fields = _text_fields(model.get_search_fields())
    entries = {}  # object id: (title, autocomplete, body), as SQLiteIndex has them
    for obj in objects:
        indexer = ObjectIndexer(obj, index.backend)
        title, body, autocomplete = _texts(indexer, obj, fields)
        entries[force_str(obj.pk)] = tuple(
            " ".join(text for text, _ in texts) for texts in (title, autocomplete, body)
        )
    content_type = get_content_type_pk(model)
    existing = frozenset(
        IndexEntry._default_manager.filter(
            content_type_id=content_type, object_id__in=entries.keys()
        ).values_list("object_id", flat=True)
    )
    connection = connections[router.db_for_write(IndexEntry)]
    quote = connection.ops.quote_name
    table = quote(IndexEntry._meta.db_table)
    # The model's defaults for the columns add_items leaves to bulk_create.
    given = ("content_type", "object_id", "title", "autocomplete", "body")
    defaults = [
        f
        for f in IndexEntry._meta.concrete_fields
        if not f.primary_key and f.name not in given
    ]
    columns = ", ".join(
        quote(c)
        for c in ["content_type_id", "object_id", "title", "autocomplete", "body"]
        + [f.column for f in defaults]
    )
    default_values = [f.get_db_prep_save(f.get_default(), connection) for f in defaults]
    marks = ", ".join(["%s"] * (5 + len(defaults)))
    with connection.cursor() as cursor:
        if existing:  # changed articles (their norms are kept, as add_items does)
            cursor.executemany(
                f"UPDATE {table} SET title = %s, autocomplete = %s, body = %s "
                "WHERE content_type_id = %s AND object_id = %s",
                [(*entries[pk], content_type, pk) for pk in existing],
            )
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [
                (content_type, pk, *texts, *default_values)
                for pk, texts in entries.items()
                if pk not in existing
            ],
        )
    index._refresh_title_norms()


WRITERS = {
    "modelsearch.backends.database.postgres.postgres.PostgresIndex": _write_postgres,
    "modelsearch.backends.database.sqlite.sqlite.SQLiteIndex": _write_sqlite,
}
