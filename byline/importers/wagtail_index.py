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
- Both then run the index's `_refresh_title_norms()`: entries whose norm is
  1.0 get `lavg / LENGTH(title)`, lavg being the average `LENGTH(title)` of
  every entry with a title. On PostgreSQL that average reads every row of the
  index for every batch (search migration 0007 indexes the norm, and on SQLite
  the title's length; PostgreSQL cannot average an expression from an index),
  and the update rewrites each new entry: a second row version with all its
  GIN entries (the norm is indexed, so the update is never HOT); on SQLite a
  second write of the row and of both of 0007's indexes. Here each entry is
  written once with that norm, the same expression over the same average,
  kept as a sum and count of the title lengths (`TitleNorms`: read once an
  import, and again after Wagtail's own indexing wrote an entry, a new
  section's or author's; moved by each batch's old and new lengths). The
  refresh's update of the other entries still at 1.0 runs as it is, through
  0007's index on the norm. Entries written by other processes during an
  import count from the next run on.

Wagtail compiles three `SearchVector` expressions an entry through the ORM
(12 placeholders) and reads every field three times: a third of the import's
client CPU on PostgreSQL (bench/README.md, "2026-12-06: the import on
PostgreSQL"). Here each object's texts are read once, through the backend's
own `ObjectIndexer.prepare_field`, and the batch is written by one
`INSERT … SELECT … FROM unnest(…)` (PostgreSQL) or multi-row INSERTs (SQLite).
Related fields that hold no searchable text (ArticlePage's authors: filters
only) are skipped, so they are not fetched. An empty text is kept as '' in
its place: its vector is empty, and `||` with an empty vector changes nothing.

`test_wagtail_index` compares the rows written here with `add_bulk`'s, new and
changed, on both databases; it fails if Wagtail changes what it writes. Other
backends (Elasticsearch …) get `add_bulk` itself.
"""

from django.db import connections, router
from django.db.models import Count, F, Sum
from django.db.models.functions import Length
from django.utils.encoding import force_str
from modelsearch.utils import get_content_type_pk

from byline.importers.wagtail_texts import (
    SQLITE_INDEX,
    index_kind,
    joined,
    recall_sqlite_entry,
    sqlite_entry,
    text_fields,
    texts_of,
)


def add_bulk(backend, model, objects, norms=None):
    """Index `objects` of `model` in `backend` as `backend.add_bulk` does.

    `norms`, a TitleNorms kept for a run of batches, saves reading the whole
    index for each; without one, the average is read once for this call.
    """
    index = backend.get_index_for_model(model)
    writer = WRITERS.get(index_kind(index))
    if writer is None or not model.get_search_fields() or not objects:
        backend.add_bulk(model, objects)
        return
    norms = norms or TitleNorms()
    # The index's own queryset of entries, as its _refresh_title_norms reads
    # it, on the database written to (a replica may lag behind the batch).
    every = index.entries.using(router.db_for_write(index.entries.model))
    existing = dict(
        every.filter(
            content_type_id=get_content_type_pk(model),
            object_id__in=[force_str(obj.pk) for obj in objects],
        )
        .annotate(title_length=Length("title"))
        .values_list("object_id", "title_length")
    )
    norms.start_batch(every, existing.values())
    writer(index, model, objects, existing.keys(), norms)
    norms.refresh_the_rest(every)


class TitleNorms:
    """The sum and count of the index's title lengths (of titles that have
    one), which `_refresh_title_norms()` averages, carried from batch to
    batch: the entries a batch replaces are taken out, the ones it writes
    counted in. Forget them when a batch rolls back."""

    def __init__(self):
        self.total = self.count = None

    def forget(self):
        self.total = self.count = None

    def start_batch(self, every, replaced):
        if self.total is None:  # once a run: every entry's title, as Wagtail reads
            titled = every.annotate(title_length=Length("title"))
            found = titled.filter(title_length__gt=0).aggregate(
                total=Sum("title_length"), count=Count("pk")
            )
            self.total, self.count = found["total"] or 0, found["count"]
        self._move(replaced, -1)

    def add(self, lengths):
        self._move(lengths, +1)

    def _move(self, lengths, sign):
        lengths = [n for n in lengths if n > 0]
        self.total += sign * sum(lengths)
        self.count += sign * len(lengths)

    def refresh_the_rest(self, every):
        """The refresh also gives its norm to every other entry still at 1.0
        (an entry whose title length was the average then, or written by
        Wagtail's own indexing): its UPDATE, through search migration 0007's
        index on the norm, with the average as Wagtail passes it."""
        if self.count:
            every.filter(title_norm=1.0).annotate(title_length=Length("title")).filter(
                title_length__gt=0
            ).update(title_norm=self.average(every.db) / F("title_length"))

    def average(self, alias):
        """The average as `aggregate(Avg(…))` returns it to Wagtail: a float,
        of PostgreSQL's numeric division there, of SQLite's double here."""
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return self.total / self.count
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT CAST(%s AS numeric) / CAST(%s AS numeric)",
                [self.total, self.count],
            )
            return float(cursor.fetchone()[0])

    def norm(self, length, default):
        """SQLite's `lavg / LENGTH(title)`, both doubles, as the refresh's
        UPDATE computes it; `default` for an entry without a title."""
        return self.total / self.count / length if length > 0 else default


def _write_postgres(index, model, objects, existing, norms):
    """Write the entries in one statement, norms included; count their titles."""
    # Loaded on its own database only: each backend's module reads models that
    # exist on that database alone.
    from modelsearch.backends.database.postgres import postgres  # noqa: PLC0415

    IndexEntry, ObjectIndexer = postgres.IndexEntry, postgres.ObjectIndexer

    fields = text_fields(model.get_search_fields())
    shapes = {}  # the weights of each column's texts: one SELECT per shape
    for obj in objects:
        indexer = ObjectIndexer(obj, index.backend)
        title, body, autocomplete = texts_of(indexer, obj, fields)
        columns = (title, body, autocomplete)
        shape = tuple(tuple(weight for _, weight in texts) for texts in columns)
        row = [force_str(obj.pk), joined(title), joined(body)]
        row += [text.strip() for texts in columns for text, _ in texts]
        shapes.setdefault(shape, []).append(row)
    connection = connections[router.db_for_write(IndexEntry)]
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    selects, params = [], []
    for shape, rows in shapes.items():
        select, shape_params = _postgres_select(shape, index.backend)
        selects.append(select)
        params += shape_params + [list(column) for column in zip(*rows, strict=True)]
    params += [norms.total, norms.count, get_content_type_pk(model)]
    with connection.cursor() as cursor:
        cursor.execute(_postgres_sql(table, selects), params)
        norms.add(length for (length,) in cursor.fetchall())


def _postgres_select(shape, backend):
    """Return the SELECT of one shape's entries (the weights of the title's,
    body's and autocomplete's texts) from its column arrays, and the
    parameters before those arrays."""
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
    select = f"""
        SELECT e.object_id, {vectors["title"]} AS title,
               {vectors["autocomplete"]} AS autocomplete, {vectors["body"]} AS body,
               e.title_text, e.body_text
        FROM unnest({arrays}) AS e({names})"""
    return select, params["title"] + params["autocomplete"] + params["body"]


def _postgres_sql(table, selects):
    """The INSERT of every entry of the batch. The norm is the refresh's
    `AVG / LENGTH(title)`: AVG is PostgreSQL's numeric division of the sum by
    the count (the run's, plus this batch's titles), read by Wagtail as a float
    and sent back as its text; titles of no lexeme keep 1.0, as the refresh
    skips them."""
    entries = "\n        UNION ALL".join(selects)
    # Columns, values and conflict clause as PostgresIndex.add_items has them.
    return f"""
        WITH e AS ({entries}
        ), s AS (
            SELECT CAST(%s AS bigint)
                   + COALESCE(SUM(LENGTH(title)) FILTER (WHERE LENGTH(title) > 0), 0)
                   AS total,
                   CAST(%s AS bigint) + COUNT(*) FILTER (WHERE LENGTH(title) > 0)
                   AS count
            FROM e
        ), n AS (
            -- AVG's numeric, as Wagtail receives it (a float) and sends it back
            -- (the float's shortest text, a numeric literal).
            SELECT CAST(CAST(CAST(CAST(total AS numeric) / CAST(count AS numeric)
                                  AS double precision) AS text) AS numeric)
                   AS average
            FROM s
        )
        INSERT INTO {table} (content_type_id, object_id, title, autocomplete,
                             body, title_norm, title_text, body_text)
        SELECT %s, e.object_id, e.title, e.autocomplete, e.body,
               CASE WHEN LENGTH(e.title) > 0 THEN n.average / LENGTH(e.title)
                    ELSE 1.0 END,
               e.title_text, e.body_text
        FROM e CROSS JOIN n
        ON CONFLICT (content_type_id, object_id)
        DO UPDATE SET title = EXCLUDED.title,
                      title_norm = EXCLUDED.title_norm,
                      autocomplete = EXCLUDED.autocomplete,
                      body = EXCLUDED.body,
                      title_text = EXCLUDED.title_text,
                      body_text = EXCLUDED.body_text
        RETURNING LENGTH(title)
    """


def _write_sqlite(index, model, objects, existing, norms):
    """Write the entries, norms included (`existing`: the object ids that
    have one already); count their titles."""
    from modelsearch.backends.database.sqlite import sqlite  # noqa: PLC0415

    IndexEntry, ObjectIndexer = sqlite.IndexEntry, sqlite.ObjectIndexer

    fields = text_fields(model.get_search_fields())
    entries = {}  # object id: (title, autocomplete, body), as SQLiteIndex has them
    for obj in objects:
        texts = recall_sqlite_entry(obj)
        if texts is None:
            texts = sqlite_entry(ObjectIndexer(obj, index.backend), obj, fields)
        entries[force_str(obj.pk)] = texts
    lengths = {pk: _sqlite_length(texts[0]) for pk, texts in entries.items()}
    norms.add(lengths.values())
    content_type = get_content_type_pk(model)
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
    norm_at = [f.name for f in defaults].index("title_norm")
    marks = ", ".join(["%s"] * (5 + len(defaults)))

    def new_row(pk):
        values = list(default_values)
        values[norm_at] = norms.norm(lengths[pk], values[norm_at])
        return (content_type, pk, *entries[pk], *values)

    with connection.cursor() as cursor:
        if existing:
            # Changed articles keep their norm, as add_items leaves it; the
            # refresh gives one at 1.0 (never refreshed) the average's.
            cursor.executemany(
                f"UPDATE {table} SET title = %s, autocomplete = %s, body = %s, "
                "title_norm = CASE WHEN title_norm = 1.0 THEN %s ELSE title_norm END "
                "WHERE content_type_id = %s AND object_id = %s",
                [
                    (*entries[pk], norms.norm(lengths[pk], 1.0), content_type, pk)
                    for pk in existing
                ],
            )
        # Rows a statement, not one statement a row: Wagtail's trigger copies
        # each entry into its FTS5 table, and FTS5 writes out what it holds at
        # the end of each statement, so one statement a row cost about 1.6
        # times as much (bench/README.md, "tenth session").
        rows = [new_row(pk) for pk in entries if pk not in existing]
        written = [IndexEntry._meta.get_field(name) for name in given] + defaults
        size = max(1, connection.ops.bulk_batch_size(written, rows))
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "
                + ", ".join([f"({marks})"] * len(chunk)),
                [value for row in chunk for value in row],
            )


def _sqlite_length(text):
    """SQLite's LENGTH() of a text: its characters before the first NUL."""
    return len(text.partition("\x00")[0])


WRITERS = {
    "modelsearch.backends.database.postgres.postgres.PostgresIndex": _write_postgres,
    SQLITE_INDEX: _write_sqlite,
}
