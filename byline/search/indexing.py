"""Keep the article search index in step with what is published."""

from django.db import connection

from byline.core.text import html_to_text
from byline.search import fts_sqlite


def uses_fts():
    return connection.vendor == "sqlite"


def index_articles(articles):
    """Index (or re-index) articles; ones no longer live are removed instead."""
    if not uses_fts():
        return
    articles = list(articles)
    fts_sqlite.index_rows(_row(a) for a in articles if a.live)
    gone = [a.pk for a in articles if not a.live]
    if gone:
        fts_sqlite.remove(gone)


def remove_articles(page_ids):
    if uses_fts():
        fts_sqlite.remove(page_ids)


def _row(article):
    published = article.published_at or article.first_published_at
    return (
        article.pk,
        article.title,
        article.standfirst,
        _body_text(article),
        int(published.timestamp()) if published else 0,
        article.section_id,
        article.type_of_work,
    )


def _body_text(article):
    text = getattr(article, "search_text", None)
    return text() if callable(text) else html_to_text(article.body)
