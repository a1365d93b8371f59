"""What a reader is told when a search was corrected or found nothing
(issue 19, items 13 and 14)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from byline.search.indexing import index_backend


@pytest.fixture
def fts_search(db):
    if index_backend() is None:
        pytest.skip("corrections need our own index")


def _page(client, **params):
    return BeautifulSoup(client.get("/search/", params).content, "html.parser")


def test_a_corrected_search_says_what_it_searched(fts_search, client, make_article):
    """'Pution' shows 'Showing results for Putin', not '1 result for Pution'."""
    make_article("Putin visits Beijing")
    page = _page(client, q="Pution")
    notice = page.select_one(".search-correction").get_text(" ", strip=True)
    assert notice.startswith("Showing results for Putin")
    summary = page.select_one(".search-summary").get_text()
    assert "Putin" in summary and "Pution" not in summary
    assert [a.get_text() for a in page.select(".result h2 a")] == [
        "Putin visits Beijing"
    ]


def test_the_exact_words_are_one_link_away(fts_search, client, make_article):
    """'Search instead for Pution' searches the words as typed, uncorrected."""
    make_article("Putin visits Beijing")
    link = _page(client, q="Pution", section="").select_one(".search-correction a")
    assert link.get_text() == "Pution"
    params = parse_qs(urlsplit(link["href"]).query)
    assert params["q"] == ["Pution"] and params["exact"] == ["1"]
    exact = _page(client, q="Pution", exact="1")
    assert exact.select_one(".search-correction") is None
    assert exact.select(".result h2 a") == []
    assert "0 results for “Pution”" in exact.select_one(".search-summary").get_text()
    # Spelling help is still offered, as a choice.
    assert exact.select_one(".did-you-mean a").get_text() == "Putin"
    # The filters form keeps the choice when a filter is changed.
    assert exact.select_one("form.search-filters input[name=exact]")["value"]


def test_the_json_form_names_the_corrected_query(fts_search, client, make_article):
    """`corrected_query` is added to the contract; `exact=1` turns correction off."""
    make_article("Putin visits Beijing")
    data = client.get("/search/", {"q": "Pution", "format": "json"}).json()
    assert data["query"] == "Pution"
    assert data["corrected_query"] == "Putin"
    assert data["total"] == 1
    exact = client.get("/search/", {"q": "Pution", "format": "json", "exact": "1"})
    assert exact.json()["corrected_query"] is None
    assert exact.json()["total"] == 0


def test_a_search_that_finds_nothing_offers_tips_and_the_latest_stories(
    client, make_article
):
    """The zero-result page is no dead end: help, then the newest public stories."""
    older = make_article("Harbour reopens")
    newer = make_article("Bridge closes for repairs")
    hidden = make_article("Private memo")
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    page = _page(client, q="qwxzzy")
    help_box = page.select_one(".search-help")
    assert help_box is not None
    assert len(help_box.select(".search-tips li")) >= 3
    latest = [a.get_text() for a in help_box.select(".search-latest h3 a")]
    assert latest == [newer.title, older.title]  # newest first, public only


def test_filters_that_leave_nothing_offer_a_search_of_all_articles(
    client, make_article, other_section
):
    """With a filter set, one tip removes every filter but keeps the words."""
    make_article("Harbour reopens")
    page = _page(client, q="harbour", section=other_section.slug)
    link = page.select_one(".search-tips a[href]")
    assert link is not None
    assert parse_qs(urlsplit(link["href"]).query) == {"q": ["harbour"]}
    assert _page(client, q="harbour").select_one(".search-help") is None
