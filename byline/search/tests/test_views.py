"""The search page answers every query with a page, never an error."""

import pytest


def test_search_finds_published_articles(client, published_article, make_article):
    """A word of the headline finds the article; drafts are never found."""
    make_article("Putin draft never shown", publish=False)
    response = client.get("/search/", {"q": "Putin"})
    assert response.status_code == 200
    assert b"Putin and Xi meet in Beijing" in response.content
    assert b"Putin draft never shown" not in response.content


def test_search_json_follows_the_design_contract(client, published_article):
    """&format=json returns query, total and results with the documented keys."""
    data = client.get("/search/", {"q": "Beijing", "format": "json"}).json()
    assert data["query"] == "Beijing"
    assert data["total"] >= 1
    assert set(data["results"][0]) == {
        "id",
        "source_id",
        "title",
        "url",
        "snippet",
        "score",
    }


@pytest.mark.parametrize(
    "query", ["", "   ", "the", '"', "*", "NEAR(", "a OR", "-x", "title:x", "x" * 5000]
)
def test_odd_queries_give_a_page_not_an_error(client, published_article, query):
    """Empty, stop-word, punctuation, FTS syntax and huge queries all answer 200."""
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/search/", {"q": query, "format": "json"}).status_code == 200


def test_suggestions_return_matching_headlines(client, published_article, make_article):
    """/search/suggest/?q=Putin an returns headlines whose words start that way."""
    make_article("Putin draft", publish=False)
    data = client.get("/search/suggest/", {"q": "Putin an"}).json()
    assert [s["title"] for s in data["suggestions"]] == ["Putin and Xi meet in Beijing"]
    assert data["suggestions"][0]["url"] == published_article.url
    assert client.get("/search/suggest/", {"q": "x"}).json()["suggestions"] == []
    assert client.get("/search/suggest/", {"q": '"*('}).status_code == 200


def test_reindex_command_rebuilds_the_index(published_article):
    """`reindex_articles` recreates the index and finds published articles again."""
    from django.core.management import call_command

    from byline.search.engine import top_ids
    from byline.search.indexing import index_backend

    call_command("reindex_articles")
    assert top_ids("Beijing") == [published_article.pk]
    index_backend().recreate()
    assert top_ids("Beijing") == []
    call_command("reindex_articles")
    assert top_ids("Beijing") == [published_article.pk]
