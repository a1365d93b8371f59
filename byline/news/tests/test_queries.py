"""Pages cost a fixed number of SQL queries, however much content they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Uncached renders: what a page costs when the page cache misses.
pytestmark = pytest.mark.usefixtures("uncached")

# Pinned figures: a change that adds a query per page must update these on purpose.
ARTICLE_PAGE_QUERIES = 9
# Without approved comments the comment block reads nothing (the stored count).
UNCOMMENTED_ARTICLE_PAGE_QUERIES = 5
# Rendered from its kept parts (byline/core/fragments.py): the article's
# look-up, and the comment thread when there is one.
KEPT_ARTICLE_PAGE_QUERIES = 4
KEPT_UNCOMMENTED_ARTICLE_PAGE_QUERIES = 1
SECTION_PAGE_QUERIES = 3
HOME_PAGE_QUERIES = 3


def count_queries(client, url, afresh=None):
    """The queries of a second view of url; with `afresh` (an article), of one
    that renders the article's parts again, as the first view after a change."""
    from byline.core import cachetags as cache_tags

    client.get(url)  # warm Wagtail's site-root cache, as any running site has it
    if afresh is not None:
        cache_tags.bump([cache_tags.page(afresh.pk)])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def many_authors(db):
    from byline.news.models import Author

    return [
        Author.objects.create(name=f"Writer {i}", slug=f"writer-{i}") for i in range(6)
    ]


def test_article_page_query_count_is_pinned(client, make_article):
    """An article page costs exactly the pinned number of queries."""
    from byline.comments.models import Comment
    from byline.comments.moderation import recount

    article = make_article(tags=["One"])
    assert count_queries(client, article.url, article) == (
        UNCOMMENTED_ARTICLE_PAGE_QUERIES
    )
    assert count_queries(client, article.url) == KEPT_UNCOMMENTED_ARTICLE_PAGE_QUERIES
    Comment.objects.create(
        article=article,
        depth=1,
        name="Ann",
        email="ann@example.org",
        text="A first comment.",
        status=Comment.Status.APPROVED,
    )
    recount([article.pk])  # as every route that writes comments does
    assert count_queries(client, article.url, article) == ARTICLE_PAGE_QUERIES
    assert count_queries(client, article.url) == KEPT_ARTICLE_PAGE_QUERIES


def test_article_page_queries_do_not_grow_with_tags_and_authors(
    client, make_article, many_authors
):
    """Six authors, twelve tags and four related articles cost no more queries
    than one author, one tag and no related articles."""
    from byline.related import lists

    small = make_article(tags=["One"], authors=many_authors[:1])
    alone = count_queries(client, small.url, small)
    large = make_article(tags=[f"Tag {i}" for i in range(12)], authors=many_authors)
    for _ in range(10):
        make_article()  # more articles in the section must not matter either
    lists.rebuild()  # every article now shows four related articles
    assert (
        alone
        == count_queries(client, small.url, small)
        == count_queries(client, large.url, large)
    )


def test_section_page_query_count_is_pinned_and_flat(client, make_article, section):
    """A section page's queries do not grow with its number of articles or tags."""
    make_article(tags=["One"])
    few = count_queries(client, section.url)
    for i in range(25):
        make_article(tags=[f"Tag {i}", "Shared"])
    assert few == count_queries(client, section.url) == SECTION_PAGE_QUERIES


def test_home_page_query_count_is_pinned(client, home, make_article, other_section):
    """The home page's queries do not grow with the number of articles or sections."""
    from byline.news.site_setup import ensure_section

    make_article()
    make_article(parent=other_section)
    few = count_queries(client, "/")
    for _ in range(12):
        make_article()
    for name in ("Business", "Culture", "Science"):
        make_article(parent=ensure_section(home, name))
    assert few == count_queries(client, "/") == HOME_PAGE_QUERIES


def test_listing_count_leaves_out_the_card_columns_joins(client, make_article, section):
    """A listing's COUNT for its pagination reads the articles and their pages
    only: the section's and the renditions' joins of the card columns tripled
    its cost at 10,000 articles."""
    for _ in range(3):
        make_article()
    client.get(section.url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(section.url).status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "rendition" not in counts[0]
    assert "news_sectionpage" not in counts[0]
