"""Listing pages past the numbered ones are addressed by the article before them
(`news.keyset`): every article reachable once, old `?page=N` links redirected."""

import re
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup

STORIES = 11  # pages of 2: five numbered pages would hold 10


@pytest.fixture
def listing(settings, make_article):
    settings.NEWS_PAGE_SIZE = 2
    settings.NEWS_NUMBERED_PAGES = 2
    same_time = datetime(2024, 6, 1, tzinfo=UTC)
    # Three share a publication time: the id breaks the tie, as in the index.
    return [
        make_article(
            f"Story {i}",
            tags=["Harbour"],
            published_at=same_time if i in (4, 5, 6) else None,
        )
        for i in range(STORIES)
    ]


def page(client, url, query=""):
    response = client.get(url + query)
    assert response.status_code == 200, (url + query, response.status_code)
    html = BeautifulSoup(response.content, "html.parser")
    titles = [
        h.get_text(strip=True)
        for h in html.select(".article-list h2, .article-list h3")
    ]
    links = {a["rel"][0]: a["href"] for a in html.select(".pagination a[rel]")}
    return titles, links


def newest_first(articles):
    ordered = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    return [a.title for a in ordered]


@pytest.mark.parametrize("where", ["section", "tag"])
def test_older_and_newer_links_reach_every_article_once(
    client, listing, section, where
):
    """Following "Older" from the first page shows every article once, newest
    first, numbered pages then `?before=` pages; "Newer" walks back the same way."""
    url = section.url if where == "section" else "/tags/harbour/"
    seen, queries, query = [], [], ""
    while query is not None:
        titles, links = page(client, url, query)
        seen += titles
        queries.append(query)
        query = links.get("next")
    assert seen == newest_first(listing)
    assert queries[:3] == ["", "?page=2", f"?before={listing_pk(listing, 3)}"]
    # And back: "Newer" from the oldest page ends on the first page.
    back, query = [], queries[-1]
    while query is not None:
        titles, links = page(client, url, query)
        back = titles + back
        query = links.get("prev")
    assert set(back) == set(seen)
    assert back[:2] == seen[:2]  # the walk back ends on the first page


def listing_pk(listing, n):
    """The id of the nth article of the listing (newest first, from 0)."""
    ordered = sorted(listing, key=lambda a: (a.published_at, a.pk), reverse=True)
    return ordered[n].pk


def test_an_old_deep_page_link_redirects_permanently_to_the_same_articles(
    client, listing, section
):
    """`?page=4` (past the numbered pages) answers 301 with the `?before=` page
    that shows what page 4 showed when every page was numbered."""
    response = client.get(section.url, {"page": 4})
    assert response.status_code == 301
    assert response["Location"] == f"{section.url}?before={listing_pk(listing, 5)}"
    titles, _ = page(client, section.url, "?" + response["Location"].split("?")[1])
    assert titles == newest_first(listing)[6:8]
    # Past the end: the last page, as a numbered page past the end always was.
    response = client.get(section.url, {"page": 999})
    assert response.status_code == 301
    assert response["Location"] == f"{section.url}?before={listing_pk(listing, 9)}"
    assert client.get(section.url, {"page": 2}).status_code == 200


def test_a_page_after_a_deleted_article_sends_the_reader_to_the_first_page(
    client, listing, section
):
    """`?before=` naming an article that is gone redirects to the listing."""
    gone = listing[3].pk
    listing[3].delete()
    response = client.get(section.url, {"before": gone})
    assert response.status_code == 302 and response["Location"] == section.url
    assert client.get(section.url, {"before": "x1"}).status_code == 200


def test_a_keyset_page_costs_the_same_queries_at_any_depth(
    client, listing, section, settings
):
    """A `?before=` page runs no COUNT and no OFFSET: its queries do not grow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE = False
    page(client, section.url, f"?before={listing_pk(listing, 1)}")  # caches warm
    counts = []
    for n in (3, 9):
        with CaptureQueriesContext(connection) as queries:
            page(client, section.url, f"?before={listing_pk(listing, n)}")
        sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
        assert "OFFSET" not in sql and "COUNT(" not in sql
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_a_keyset_page_seeks_by_date_in_the_index(db, listing):
    """The rows older (and newer) than a page's article are found by an index
    condition on the date, not by walking the index from the newest article
    and filtering: the deepest page of 100,000 read every row before."""
    from django.db import connection

    from byline.news import keyset, listings

    article = listing[5]
    section = listings.section_articles(article.section)
    older, published = keyset.older_than(section, article.pk)
    newer = keyset.from_upwards(section, article.pk, published)
    if connection.vendor == "postgresql":
        # A few rows read faster in a sequential scan, or from the section's
        # index and then sorted; ask how an index gives them in order, as it
        # must for a section of 100,000. Planned from these rows' statistics
        # (ANALYZE's counts outlive a test's rollback: with another test's, the
        # plan took the section's index and a sort, in one order of CI's tests).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("ANALYZE news_articlepage, wagtailcore_page")
    for queryset in (older, newer):
        plan = queryset.explain()
        if connection.vendor == "postgresql":
            conditions = [line for line in plan.splitlines() if "Index Cond" in line]
            assert any("published_at" in line for line in conditions), plan
        else:
            assert re.search(r"published_at ?[<>]", plan), plan


@pytest.mark.parametrize("value", ["¹", "٣", "１２", "-3", "1" * 25])
def test_digits_int_refuses_are_not_a_page_or_a_cursor(client, listing, section, value):
    """`?before=¹` made a 500: str.isdigit() holds for "¹", which int() refuses
    (found by test_l11_hostile_parameters). Only ASCII digits are read."""
    assert client.get(section.url, {"before": value}).status_code in (200, 302)
    assert client.get(section.url, {"page": value}).status_code in (200, 404)
