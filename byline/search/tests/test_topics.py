"""Search finds authors, sections and tags and shows them above the articles
(issue 19, item 11)."""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from byline.search.indexing import index_backend


@pytest.fixture
def fts_search(db):
    if index_backend() is None:
        pytest.skip("topics live beside our own index")


def _topics(client, query):
    """Return [(kind, name, url)] as the page shows them, and as the JSON does."""
    page = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
    shown = [
        (item["class"][1].removeprefix("topic-"), item.a.get_text(), item.a["href"])
        for item in page.select(".search-topics li")
    ]
    data = client.get("/search/", {"q": query, "format": "json"}).json()
    assert shown == [(t["kind"], t["name"], t["url"]) for t in data["topics"]]
    return shown


def test_an_authors_name_finds_the_author(fts_search, client, make_article):
    """The issue's example: 'Mara Ellison' found nothing; now it finds her."""
    from byline.news.models import Author

    mara = Author.objects.create(name="Mara Ellison", slug="mara-ellison")
    make_article("Allies meet in Brussels", authors=[mara])
    expected = ("author", "Mara Ellison", "/authors/mara-ellison/")
    assert _topics(client, "Mara Ellison") == [expected]
    assert _topics(client, "ellison") == [expected]


def test_tags_and_sections_are_found(fts_search, client, make_article, section):
    """A tag and a section are offered by name (word forms included)."""
    make_article("Paris opens its Games", tags=["Olympics"])
    assert ("tag", "Olympics", "/tags/olympics/") in _topics(client, "olympic")
    assert ("section", "World", section.url) in _topics(client, "world news")


def test_topics_come_above_the_articles_and_keep_the_json_contract(
    fts_search, client, make_article
):
    """The box precedes the results; the JSON keeps DESIGN.md's keys."""
    make_article("Reporter wins award", tags=["Awards"])
    page = BeautifulSoup(
        client.get("/search/", {"q": "ada reporter"}).content, "html.parser"
    )
    box, results = page.select_one(".search-topics"), page.select_one(".search-results")
    assert box is not None and results is not None
    assert box.find_next("ol", class_="search-results") is results
    data = client.get("/search/", {"q": "reporter", "format": "json"}).json()
    assert {"query", "total", "results"} <= set(data)
    assert set(data["results"][0]) == {"id", "source_id", "title", "url"} | {
        "snippet",
        "score",
    }


def test_a_tag_only_on_private_or_draft_articles_is_not_offered(
    fts_search, client, make_article
):
    """As its tag page is a 404, a hidden tag is not named in search."""
    make_article("Draft about zeppelins", tags=["Zeppelins"], publish=False)
    hidden = make_article("Private zeppelin memo", tags=["Zeppelins"])
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    assert Tag.objects.filter(name="Zeppelins").exists()
    assert _topics(client, "zeppelins") == []


def test_a_private_section_is_not_offered(fts_search, client, other_section):
    """A section behind a view restriction is no topic."""
    PageViewRestriction.objects.create(
        page=other_section, restriction_type=PageViewRestriction.LOGIN
    )
    assert _topics(client, "business") == []


def test_a_renamed_author_is_found_by_the_new_name(
    fts_search, client, make_article, author
):
    """The names table follows a save."""
    make_article("Budget passes")
    author.name = "Ada Lovelace"
    author.save()
    assert _topics(client, "lovelace") == [
        ("author", "Ada Lovelace", "/authors/ada-reporter/")
    ]
    assert _topics(client, "reporter") == []


def test_rebuilding_the_index_keeps_the_topics(fts_search, client, make_article):
    """`reindex_articles` recreates the tables and fills the names again."""
    make_article("Budget passes", tags=["Budget"])
    call_command("reindex_articles", stdout=StringIO())
    kinds = [kind for kind, _, _ in _topics(client, "budget reporter")]
    assert sorted(kinds) == ["author", "tag"]
