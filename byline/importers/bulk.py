"""Write many new articles at once.

Django's `bulk_create` refuses a multi-table model such as ArticlePage (a page
row and an article row per article). So both rows are written here with SQL
through Django's cursor, each value prepared by its field's documented
`pre_save` and `get_db_prep_save`, as `Model.save()` prepares it:

- the page rows in multi-row INSERTs that return each row's id with its path
  (unique, so ids are matched to articles by path, whatever order the
  database returns them in);
- the article rows in one `executemany`;
- on PostgreSQL, both by COPY instead (core/bulk_rows.py): the client-side
  conversion of those statements was a quarter of the import's CPU.

`Page.objects.bulk_create` did the page rows before, but it needs a second
set of Page objects (Wagtail's `Page.__init__` is costly) and compiles every
value through the ORM: a sixth of the import. A raw `save_base()` per article
was slower still. test_bulk compares these rows with the ORM's, on SQLite and
PostgreSQL.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections
from wagtail.models import Page

from byline.core import bulk_rows, values_ahead
from byline.news.models import ArticlePage


def prepare_ahead(article):
    """Prepare a new article's values of its page and article rows ahead (an
    import's worker process, on SQLite: core/values_ahead.py); placing it in
    the tree and giving it its id afterwards leaves the rest to insert_articles."""
    if connection.vendor == "sqlite":
        fields = [*_page_fields(), *ArticlePage._meta.local_concrete_fields]
        values_ahead.remember(article, fields, connections[DEFAULT_DB_ALIAS])


def insert_articles(articles):
    """Insert unsaved, fully placed ArticlePages (tree fields set) and give
    them their ids. Per-page signals are not sent: the importer does that
    work in bulk (indexing, signing) for the whole batch."""
    if not articles:
        return
    if connection.vendor == "postgresql":
        _copy_articles(articles)
        return
    ids = _insert_pages(articles)
    for article in articles:
        article.pk = article.page_ptr_id = ids[article.path]
        article._state.adding = False
    fields = ArticlePage._meta.local_concrete_fields
    with connection.cursor() as cursor:
        cursor.executemany(
            _insert_sql(ArticlePage, fields, rows=1),
            bulk_rows.prepared(fields, articles),
        )


def _copy_articles(articles):
    """PostgreSQL: the page rows with new ids, then the article rows, by COPY."""
    bulk_rows.copy_with_new_ids(Page._meta, _page_fields(), articles)
    for article in articles:
        article._state.adding = False
    fields = ArticlePage._meta.local_concrete_fields
    bulk_rows.copy_rows(
        ArticlePage._meta.db_table,
        [f.column for f in fields],
        bulk_rows.prepared(fields, articles),
    )


def _insert_pages(articles):
    """Insert the page rows; return {path: id}."""
    fields = _page_fields()
    pk = connection.ops.quote_name(Page._meta.pk.column)
    size = max(1, connection.ops.bulk_batch_size(fields, articles))
    ids = {}
    with connection.cursor() as cursor:
        for start in range(0, len(articles), size):
            chunk = articles[start : start + size]
            sql = _insert_sql(Page, fields, rows=len(chunk))
            cursor.execute(
                f"{sql} RETURNING {pk}, {connection.ops.quote_name('path')}",
                [value for row in bulk_rows.prepared(fields, chunk) for value in row],
            )
            ids.update((path, pk_value) for pk_value, path in cursor.fetchall())
    return ids


def _page_fields():
    """The page row's fields that an import sets: all but the id, which the
    database gives (SQLite) or bulk_rows.take_ids takes (PostgreSQL)."""
    return [f for f in Page._meta.concrete_fields if not f.primary_key]


def _insert_sql(model, fields, rows):
    quote = connection.ops.quote_name
    row = "({})".format(", ".join(["%s"] * len(fields)))
    return "INSERT INTO {} ({}) VALUES {}".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join([row] * rows),
    )
