"""Find articles for a reader's query: the one place the search view and benchmarks use."""

import re

from byline.news.models import ArticlePage

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")


def search_terms(query):
    """Return the words of a query, lower-cased, with search-engine syntax removed.

    Quotes, stars, colons and upper-case OR/NEAR mean something to SQLite FTS5
    and PostgreSQL; a reader typing them must get results, not an error.
    """
    return " ".join(WORD.findall(query.lower()))[:MAX_QUERY_LENGTH]


def search_articles(query):
    """Return live, public articles matching the query, best first (a lazy result set)."""
    terms = search_terms(query)
    if not terms:
        return ArticlePage.objects.none()
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("section")
        .search(terms, operator="or")
    )


def top_ids(query, limit=10):
    """Return the page ids of the best `limit` matches (for evaluation)."""
    return [article.pk for article in search_articles(query)[:limit]]
