"""Write many new articles at once.

Django's `bulk_create` refuses a multi-table model such as ArticlePage (a page
row and an article row per article). So the page rows go through
`Page.objects.bulk_create` (one statement per batch, returning their ids), and
the article rows through one `executemany` on Django's cursor, with each
value prepared by its field's documented `pre_save` and `get_db_prep_save`, as
`Model.save()` prepares it. A raw `save_base()` per article did the same one
statement at a time: a fifth of the import's time at 10,000 articles.
"""

from django.db import connection
from wagtail.models import Page

from byline.news.models import ArticlePage


def insert_articles(articles):
    """Insert unsaved, fully placed ArticlePages (tree fields set) and give
    them their ids. Per-page signals are not sent: the importer does that
    work in bulk (indexing, signing) for the whole batch."""
    if not articles:
        return
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = Page.objects.bulk_create(
        [
            Page(**{f.attname: getattr(a, f.attname) for f in page_fields})
            for a in articles
        ]
    )
    for article, page in zip(articles, pages, strict=True):
        article.pk = article.page_ptr_id = page.pk
        article._state.adding = False
    fields = ArticlePage._meta.local_concrete_fields
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(ArticlePage._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    rows = [
        [f.get_db_prep_save(f.pre_save(a, True), connection) for f in fields]
        for a in articles
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
