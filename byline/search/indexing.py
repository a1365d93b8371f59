"""Keep the article search index in step with what is published."""

from django.db import connection

from byline.core import remembered
from byline.core.text import html_to_text
from byline.news.public import split_public
from byline.search import fts_postgres, fts_sqlite
from byline.search.cache import bump as bump_search_version
from byline.search.text import for_index

# Where remember_index_texts keeps texts (core/remembered.py).
KNOWN_TEXTS = "_byline_index_texts"
BACKENDS = {"sqlite": fts_sqlite, "postgresql": fts_postgres}


def index_backend():
    """Return our full-text module for this database, or None (Wagtail's search)."""
    return BACKENDS.get(connection.vendor)


def uses_fts():
    return index_backend() is not None


def index_articles(articles):
    """Index (or re-index) articles; ones no longer public are removed instead.

    The index holds public articles only (`byline.news.public`): search,
    suggestions and "Did you mean" read it without a privacy condition, and the
    spelling vocabulary cannot hold a word of a private headline.
    """
    bump_search_version()  # kept search pages (cache.py) show what changed
    if not uses_fts():
        return
    shown, gone = split_public(articles)  # the restrictions read once
    index_backend().index_rows(index_row(a) for a in shown)
    if gone:
        index_backend().remove([a.pk for a in gone])


def remove_articles(page_ids):
    bump_search_version()
    if uses_fts():
        index_backend().remove(page_ids)


def index_row(article):
    """The row the public index keeps for `article` (whether it is public or not)."""
    published = article.published_at or article.first_published_at
    parts = (article.title, article.standfirst, article.body)
    texts = remembered.recall(article, KNOWN_TEXTS, parts)
    if texts is None:
        texts = tuple(map(for_index, (*parts[:2], _body_text(article))))
    return (
        article.pk,
        *texts,
        int(published.timestamp()) if published else 0,
        article.section_id,
        article.type_of_work,
    )


def remember_index_texts(article, texts):
    """Give an article its headline, standfirst and body text as the index
    stores them (`for_index`), worked out for its present headline, standfirst
    and body (an import does it ahead, in another process); `index_row` uses
    them while those three are unchanged."""
    parts = (article.title, article.standfirst, article.body)
    remembered.remember(article, KNOWN_TEXTS, parts, tuple(texts))


def _body_text(article):
    text = getattr(article, "search_text", None)
    return text() if callable(text) else html_to_text(article.body)
