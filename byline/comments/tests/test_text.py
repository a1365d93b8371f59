"""Comment text as HTML: links found by linkify-it-py, everything else escaped."""

import pytest
from bs4 import BeautifulSoup

from byline.comments import text as comment_text

WIKIPEDIA = "https://en.wikipedia.org/wiki/Python_(programming_language)"


def links(text):
    html = BeautifulSoup(comment_text.render(text), "html.parser")
    return [(a["href"], a.get_text()) for a in html.find_all("a")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"See {WIKIPEDIA}.", [(WIKIPEDIA, WIKIPEDIA)]),
        (f"(as {WIKIPEDIA} says)", [(WIKIPEDIA, WIKIPEDIA)]),
        (
            "(see https://example.org/page)",
            [("https://example.org/page", "https://example.org/page")],
        ),
        (
            "Try www.example.org, it helps.",
            [("http://www.example.org", "www.example.org")],
        ),
        (
            "Is it https://example.org/a?",
            [("https://example.org/a", "https://example.org/a")],
        ),
    ],
)
def test_urls_keep_their_parentheses_and_www_addresses_are_links(text, expected):
    """Wikipedia links stay whole, www. addresses link, punctuation stays outside."""
    assert links(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Write to me at reader@example.org",
        "mailto:reader@example.org",
        "javascript:alert(1)",
        "ftp://files.example.org/x",
        "//evil.example/x",
    ],
)
def test_addresses_and_other_schemes_stay_text(text):
    """Only web links are made: no mailto, script, ftp or protocol-relative links."""
    assert links(text) == []
    assert comment_text.count_links(text) == 0


def test_link_count_is_what_the_reader_sees():
    """The moderation link limit counts the links the page shows."""
    text = f"One {WIKIPEDIA}, two www.example.org\nthree https://b.example/x."
    assert comment_text.count_links(text) == len(links(text)) == 3


def test_quotes_in_a_url_cannot_add_attributes():
    """A URL with quotes in it yields a link with href and rel only."""
    html = BeautifulSoup(
        comment_text.render('https://example.org/"onmouseover="alert(1) x'),
        "html.parser",
    )
    (link,) = html.find_all("a")
    assert set(link.attrs) == {"href", "rel"}
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
