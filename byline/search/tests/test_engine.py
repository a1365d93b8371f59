"""Ranking, phrases, stemming, filters, typo help and index freshness."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from byline.search.engine import Query, search_articles


@pytest.fixture
def fts_search(db):
    """Skip on a database without our own index (Wagtail's backend fallback)."""
    from byline.search.indexing import index_backend

    if index_backend() is None:
        pytest.skip("phrases, highlighted snippets and typo help need our index")


def titles(text, **filters):
    return [hit.article.title for hit in search_articles(text, **filters)[:20]]


def test_headline_match_outranks_body_match(make_article):
    """A word in the headline ranks above the same word deep in a body."""
    make_article("Harvest report", body="<p>Farmers mention the tariff once.</p>")
    make_article("Tariff row deepens", body="<p>Officials met again.</p>")
    assert titles("tariff")[0] == "Tariff row deepens"


def test_standfirst_match_outranks_body_match(make_article):
    """A word in the standfirst ranks above the same word in the body."""
    make_article(
        "Story A", standfirst="Nothing here.", body="<p>The embargo began.</p>"
    )
    make_article(
        "Story B", standfirst="An embargo looms.", body="<p>Talks went on.</p>"
    )
    assert titles("embargo")[0] == "Story B"


def test_english_stemming_matches_word_forms(make_article):
    """'sanctions' finds an article that only says 'sanction'."""
    make_article("New sanction announced")
    assert titles("sanctions") == ["New sanction announced"]


def test_quoted_phrase_must_match_in_order(fts_search, make_article):
    """ "red army" finds 'Red Army songs', not 'army ... red'."""
    make_article("Band plays Red Army songs")
    make_article("The army painted the gate red")
    assert titles('"red army"') == ["Band plays Red Army songs"]


def test_equally_good_matches_show_newer_first(make_article):
    """Equal matches come newest first; 'newest' sorts by date alone."""
    make_article("Budget vote", published_at=datetime(2024, 1, 1, tzinfo=UTC))
    make_article(
        "Budget vote", published_at=datetime(2024, 6, 1, tzinfo=UTC), slug="b2"
    )
    hits = search_articles("budget")[:2]
    assert hits[0].article.published_at.month == 6
    newest = search_articles("budget vote", order="newest")[:2]
    assert newest[0].article.published_at > newest[1].article.published_at


def test_filters_combine_with_the_query(make_article, other_section, author):
    """Section, kind, author and dates each narrow the results."""
    from byline.news.models import Author

    other = Author.objects.create(name="Other Writer", slug="other-writer")
    make_article("Oil price jumps", published_at=datetime(2024, 2, 1, tzinfo=UTC))
    make_article("Oil analysis", parent=other_section, type_of_work="analysis")
    make_article(
        "Oil by other", authors=[other], published_at=datetime(2024, 9, 1, tzinfo=UTC)
    )
    assert titles("oil", section=other_section.pk) == ["Oil analysis"]
    assert titles("oil", type_of_work="analysis") == ["Oil analysis"]
    assert titles("oil", author=other.pk) == ["Oil by other"]
    assert titles(
        "oil",
        date_from=datetime(2024, 8, 1, tzinfo=UTC),
        date_to=datetime(2024, 10, 1, tzinfo=UTC),
    ) == ["Oil by other"]


def test_search_page_shows_filters_as_removable_links(client, make_article, section):
    """Active filters appear as links that drop just that filter."""
    make_article("Grain deal signed", type_of_work="analysis")
    response = client.get(
        "/search/", {"q": "grain", "section": section.slug, "type": "analysis"}
    )
    page = BeautifulSoup(response.content, "html.parser")
    links = page.select(".active-filters a")
    assert len(links) == 2
    assert all("q=grain" in a["href"] for a in links)
    assert any(
        "section" not in a["href"] and "type=analysis" in a["href"] for a in links
    )


def test_invalid_filter_is_reported_and_ignored(client, make_article):
    """A malformed date is shown as an error and the search still runs."""
    make_article("Grain deal signed")
    response = client.get("/search/", {"q": "grain", "date_from": "not-a-date"})
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".field-error")
    assert "Grain deal signed" in page.find("main").get_text()


def test_snippet_highlights_terms_and_escapes_markup(fts_search, client, make_article):
    """Matches are wrapped in <mark>; markup from the text never becomes HTML."""
    make_article(
        "Escaping test",
        body="<p>The &lt;script&gt;alert(1)&lt;/script&gt; ceasefire held.</p>",
    )
    response = client.get("/search/", {"q": "ceasefire"})
    page = BeautifulSoup(response.content, "html.parser")
    snippet = page.select_one(".snippet")
    assert snippet.find("mark").get_text().lower() == "ceasefire"
    assert snippet.find("script") is None
    assert "<script>" in snippet.get_text()


def test_misspelt_query_finds_what_its_correction_finds(fts_search, make_article):
    """'Pution' finds Putin articles; the query as searched is 'Putin visit'."""
    make_article("Putin visits Beijing")
    results = search_articles("Pution visit")
    assert results.suggestion == "Putin visit"
    assert results.corrected_query == "Putin visit"
    assert [h.article.title for h in results[:5]] == ["Putin visits Beijing"]


def test_query_of_only_stop_words_is_empty(make_article):
    """'the of and' has nothing to search for and finds nothing, without an error."""
    make_article("The state of the union")
    assert Query.parse("the of and").is_empty
    assert len(search_articles("the of and")) == 0


def test_index_follows_publish_edit_unpublish_and_delete(make_article):
    """Drafts are not found; publish, edit, unpublish and delete are followed."""
    article = make_article("Glacier melt accelerates", publish=False)
    assert titles("glacier") == []
    article.save_revision().publish()
    assert titles("glacier") == ["Glacier melt accelerates"]
    article.title = "Ice sheet melt accelerates"
    article.save_revision().publish()
    assert titles("glacier") == []
    assert titles("ice sheet") == ["Ice sheet melt accelerates"]
    article.refresh_from_db()  # publish() saved a copy made from the revision
    article.unpublish()
    assert titles("ice sheet") == []
    article.save_revision().publish()
    article.delete()
    assert titles("ice sheet") == []


def test_private_articles_never_appear(make_article):
    """An article behind a view restriction is not found."""
    article = make_article("Embargoed budget leak")
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert titles("embargoed") == []


@pytest.mark.parametrize("query", ['"unclosed', "NEAR(a b)", "a* OR b:", "(((", "-"])
def test_fts_syntax_in_queries_is_searched_as_text(make_article, query):
    """FTS operators typed by a reader never reach the index as syntax."""
    make_article("Plain article")
    search_articles(query)[:10]  # must not raise
