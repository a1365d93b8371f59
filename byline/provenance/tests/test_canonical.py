"""The canonical text: what is signed, and that the outside verifier agrees."""

import hashlib
import unicodedata

import pytest
from django.utils.html import escape
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from byline.news.models import ArticlePage, TypeOfWork
from byline.provenance.canonical import (
    WHITESPACE,
    article_text,
    canonical_text,
    content_sha256,
    lines_of,
    normalise,
    parsed_lines,
    type_of_work_label,
)


def test_blocks_become_lines_and_inline_tags_join_words():
    text = canonical_text(
        "Putin &amp; <b>Xi</b>",
        "A standfirst",
        "<p>Hello <b>Put</b>in</p><h2>Sub</h2>"
        "<ul><li>one</li><li>two<br>three</li></ul>",
    )
    assert text == "Putin & Xi\nA standfirst\nHello Putin\nSub\none\ntwo\nthree"


def test_whitespace_and_unicode_are_normalised():
    decomposed = "Cafe\u0301"  # e + combining acute accent
    text = canonical_text(
        "  Two\u00a0 spaces ", "", f"<p>{decomposed}\n\n  here</p><p> </p>"
    )
    assert text == "Two spaces\nCaf\u00e9 here"


def test_hidden_elements_and_image_alt_text_are_not_signed():
    text = canonical_text("H", "S", '<p>Seen<script>var x=1</script></p><img alt="no">')
    assert text == "H\nS\nSeen"


def test_markup_changes_do_not_change_the_hash_but_words_do():
    plain = canonical_text("H", "S", "<p>The talks were on 16 May.</p>")
    marked = canonical_text(
        "H", "S", '<p>The talks were <mark class="feedback">on 16 May</mark>.</p>'
    )
    changed = canonical_text("H", "S", "<p>The talks were on 17 May.</p>")
    assert content_sha256(plain) == content_sha256(marked)
    assert content_sha256(plain) != content_sha256(changed)
    assert content_sha256(plain) == hashlib.sha256(plain.encode()).hexdigest()


def test_a_less_than_sign_in_a_headline_is_text(make_article):
    article = make_article("Rates <5% for the first time", publish=False)
    assert article_text(article).startswith("Rates <5% for the first time\n")


@pytest.mark.django_db
def test_the_standalone_verifier_reads_the_rendered_page_as_the_server_does(
    client, published_article, verifier
):
    """The server hashes stored fields; the outside tool hashes the rendered page
    (with inline-feedback marks, entities, links). Both must give the same text."""
    published_article.body = (
        '<p>Quotes “like this” &amp; <a href="https://example.org">a link</a>.</p>'
        "<h2>Subheading</h2><ul><li>One</li><li>Two</li></ul>"
        "<blockquote><p>A quotation</p></blockquote>"
    )
    published_article.save_revision().publish()
    html = client.get(published_article.url).content.decode()
    parts = verifier.ArticleParts()
    parts.feed(html)
    parts.close()
    published_article.refresh_from_db()
    assert verifier.canonical_text(parts) == article_text(published_article)


def _javascript_whitespace():
    """The code points verify.js lists as whitespace, read from its source."""
    import re

    from django.conf import settings

    script = settings.BASE_DIR / "byline/provenance/static/provenance/js/verify.js"
    listed = re.search(
        r"const WHITESPACE_CODE_POINTS = \[([^\]]*)\]", script.read_text()
    )
    return tuple(int(code, 16) for code in re.findall(r"0x([0-9A-Fa-f]+)", listed[1]))


def test_python_javascript_and_the_standalone_verifier_list_the_same_whitespace(
    verifier,
):
    """One explicit list of code points, not each language's `\\s`."""
    from byline.provenance.canonical import WHITESPACE_CODE_POINTS

    assert _javascript_whitespace() == WHITESPACE_CODE_POINTS
    assert verifier.WHITESPACE_CODE_POINTS == WHITESPACE_CODE_POINTS


def test_whitespace_is_unicodes_white_space_property():
    """Python's isspace() adds the four information separators U+001C..U+001F."""
    from byline.provenance.canonical import WHITESPACE_CODE_POINTS

    python = {code for code in range(0x110000) if chr(code).isspace()}
    assert set(WHITESPACE_CODE_POINTS) == python - {0x1C, 0x1D, 0x1E, 0x1F}
    assert len(set(WHITESPACE_CODE_POINTS)) == len(WHITESPACE_CODE_POINTS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("zero\ufeffwidth", "zero\ufeffwidth"),  # U+FEFF is not whitespace
        ("unit\x1fseparator", "unit\x1fseparator"),  # nor U+001F
        ("\u3000ideographic\u2003em\u00a0space\u2028", "ideographic em space"),
        ("\ufefftrimmed\ufeff", "\ufefftrimmed\ufeff"),  # strip() removes only spaces
    ],
)
def test_whitespace_is_exactly_the_listed_code_points(text, expected):
    """U+FEFF and U+001F are kept; the listed spaces collapse and are stripped."""
    from byline.provenance.canonical import normalise

    assert normalise(text) == expected


# Text with what could trip a shortcut: references, markup characters, every
# kind of space (White_Space or not), separators, decomposed accents.
TRICKY = st.lists(
    st.sampled_from(
        [
            *"ab <>&;#'\"/pé\u0301\u00a0\u2028\u3000\x1c\x1d\x1e\x1f\x85\t\n\r",
            "&amp;", "&lt;", "&#39;", "&#x27;", "&quot", "&nbsp;", "&eacute",
            "<p>", "</p>", "<b>", "<br>", "<!--", "-->", "<script>",
        ]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(TRICKY)
def test_normalise_treats_as_space_exactly_the_white_space_code_points(text):
    """The str.split() shortcut gives what the White_Space pattern gives."""
    expected = WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")
    assert normalise(text) == expected


@settings(max_examples=400, deadline=None)
@given(TRICKY, st.lists(TRICKY, max_size=4))
def test_plain_text_and_paragraphs_read_as_the_html_parser_reads_them(text, paras):
    """Escaped plain text and <p> paragraphs of escaped text (an imported body)
    are read without the parser, into the lines the parser finds."""
    for html in (
        escape(text),
        "".join(f"<p>{escape(p)}</p>" for p in paras),
        text,  # unescaped: markup, so the parser reads it
        "".join(f"<p>{p}</p>" for p in paras),
    ):
        assert lines_of(html) == parsed_lines(html), html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_type_of_work_label_is_the_display_label_in_the_active_language(language):
    """The signed label is the one the page shows, translated, as Django's
    get_type_of_work_display() gives it (an unknown code stands for itself)."""
    with override(language):
        for code in [*TypeOfWork.values, "unknown"]:
            expected = str(ArticlePage(type_of_work=code).get_type_of_work_display())
            assert type_of_work_label(code) == expected
