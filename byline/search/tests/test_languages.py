"""Search finds every script of the five-language newsroom, accents or not, on
SQLite and PostgreSQL (issue 19, item 32); PostgreSQL stems the site's language."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from byline.search.engine import search_articles
from byline.search.text import words

pytestmark = pytest.mark.usefixtures("world_newsroom")


def found(text, **filters):
    return [hit.article.title for hit in search_articles(text, **filters)[:20]]


ZH, RU, AR, HI, FR = (
    "北京举办国际茶文化节",
    "В Москве открылась новая библиотека",
    "معرض القاهرة للكتاب يستقبل الزوار",
    "दिल्ली में मानसून की पहली बारिश",
    "Le café de l’école rouvre à Orléans",
)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("cafe", FR),  # no accent typed, one written
        ("ECOLE orleans", FR),
        ("crepes", FR),
        ("Élèves", FR),
        ("茶农", ZH),  # a word inside a sentence written without spaces
        ("北京", ZH),
        ("библиотека", RU),
        ("Москве", RU),
        ("القاهرة", AR),
        ("مَعرض", AR),  # with a short vowel mark the article does not write
        ("दिल्ली", HI),  # vowel signs and virama are parts of the word
        ("मानसून", HI),
    ],
)
def test_search_finds_each_script_and_ignores_accents(query, title):
    """The story in each script is found by a word of it, typed with or
    without accents and vowel marks."""
    assert found(query) == [title]


def test_a_hindi_word_is_one_word_not_its_letters():
    """The query keeps Hindi's combining vowel signs inside the word."""
    assert words("दिल्ली में") == ["दिल्ली", "में"]
    assert found("दि") == []  # a fragment of the word finds nothing


def test_chinese_snippet_reads_as_written_with_the_match_marked(client):
    """A result's snippet shows Chinese without the index's spaces, with the
    searched word marked once."""
    response = client.get("/search/", {"q": "茶农"})
    page = BeautifulSoup(response.content, "html.parser")
    snippet = page.find("mark").parent
    assert "<mark>茶农</mark>" in str(snippet)
    assert "来自云南和福建的茶农" in snippet.get_text()


def test_search_page_lists_unicode_authors_and_tags(client):
    """Topic links for a name in another script and an accented tag work."""
    data = client.get("/search/", {"q": "李明", "format": "json"}).json()
    assert [t["name"] for t in data["topics"]] == ["李明"]
    assert client.get(data["topics"][0]["url"]).status_code == 200
    data = client.get("/search/", {"q": "cafe", "format": "json"}).json()
    assert "Café" in [t["name"] for t in data["topics"]]
    assert [r["title"] for r in data["results"]] == [FR]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's FTS5 stems English only"
)
def test_postgresql_stems_the_sites_language():
    """With LANGUAGE_CODE Russian, another case of a word finds the article
    ("библиотеку" finds "библиотека"); in English it does not. Exact
    searches, so that "Did you mean" does not correct the word instead."""
    from byline.search import pg_schema

    assert found("библиотеку", exact=True) == []
    assert pg_schema.use_language("ru")
    assert found("библиотеку", exact=True) == [RU]
    assert found("cafe") == [FR]  # still without accents
    assert not pg_schema.use_language("ru-RU")  # nothing to change
    pg_schema.use_language("en-gb")
