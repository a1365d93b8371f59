"""What an anonymous reader may see of the articles: the one definition.

An article is public when it is live and neither it nor any ancestor carries a
view restriction (login, password or groups). Every public read of articles
goes through here: pages and listings, search (its index holds only these),
suggestions and "Did you mean", feeds and sitemaps, the read API, related
lists, comment and alert endpoints, and redirects to pages. A draft, an
unpublished article or a private one then shows up in none of them, and a new
public read has one function to call instead of a filter to remember.
`byline/security/tests/test_m1_public_crawl.py` crawls every public route to
keep it so.
"""

from django.db.models import Q

from byline.core.privacy import (
    is_public,
    public,
    restricted_paths,
    restricted_q,
    split_public,
)
from byline.news.models import ArticlePage

__all__ = [
    "is_public",
    "public_articles",
    "public_relation",
    "public_sql",
    "split_public",
]


def public_articles():
    """Return the live, unrestricted articles (a queryset, unordered)."""
    return public(ArticlePage.objects.live())


def public_relation(name):
    """Return a Q keeping rows whose page relation `name` is a public page.

    For queries that reach articles through another table (related links),
    with the same meaning as `public_articles()`.
    """
    q = Q(**{f"{name}__live": True})
    restricted = restricted_q(f"{name}__")
    return q & ~restricted if restricted else q


def public_sql(alias):
    """The meaning of `public_articles()` as an SQL condition (and its
    parameters) on the page table aliased `alias`, for the few statements
    written as SQL (`byline.news.statements`): live, and under no restricted
    path."""
    sql = [f"{alias}.live"]
    paths = restricted_paths()
    for path in paths:
        sql.append(f"substr({alias}.path, 1, {len(path)}) <> %s")
    return " AND ".join(sql), list(paths)
