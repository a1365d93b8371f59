"""The canonical text of an article, whose SHA-256 every provenance record signs.

Definition (kept in step with `tools/verify_article.py`, which has its own copy so
that an outside verifier never needs our code; a test runs both on the same pages):

1. The parts, in order: the headline, the standfirst, then the body. On the article
   page they are the elements marked `data-provenance="headline"`, `"standfirst"`
   and `"body"`; on the server they are the title, standfirst and stored rich text.
2. Each part is read as HTML. Block elements (paragraphs, headings, list items,
   quotations, line breaks, divisions, table cells, figures) end a line; every
   other tag is dropped without adding space, so `<b>Put</b>in` reads "Putin".
   Character references are decoded. Text inside elements that never show words
   (`script`, `style`, `template`) and image alt text are not included.
3. Each line is normalised to Unicode NFC, every run of whitespace (including
   non-breaking spaces) becomes one space, and the line is stripped. Empty lines
   are dropped.
4. The lines of all parts are joined with a single line feed ("\\n"), encoded as
   UTF-8 and hashed with SHA-256; the hash is written as lowercase hex.

So the hash changes when any visible word of the headline, standfirst or body
changes, and not when markup, inline-feedback highlights or spacing change.
"""

import hashlib
import re
import unicodedata
from html.parser import HTMLParser

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
HIDDEN_TAGS = frozenset({"script", "style", "template"})
WHITESPACE = re.compile(r"\s+")


class _Lines(HTMLParser):
    """Collect the visible text of an HTML fragment as lines, one per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self._words, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag in BLOCK_TAGS:
            self._end_line()

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._end_line()

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self._end_line()

    def handle_data(self, data):
        if not self._hidden:
            self._words.append(data)

    def _end_line(self):
        line = normalise("".join(self._words))
        if line:
            self.lines.append(line)
        self._words = []

    def close(self):
        super().close()
        self._end_line()


def normalise(text):
    """NFC, whitespace runs to one space, stripped."""
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def lines_of(html):
    """Return the visible lines of an HTML fragment."""
    parser = _Lines()
    parser.feed(html or "")
    parser.close()
    return parser.lines


def canonical_text(headline, standfirst, body_html):
    """Return the canonical text of an article from its three parts."""
    lines = [*lines_of(headline), *lines_of(standfirst), *lines_of(body_html)]
    return "\n".join(lines)


def content_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_text(article):
    """Canonical text of an ArticlePage as it is stored (or as a revision holds it)."""
    from django.utils.html import escape

    # Headline and standfirst are plain text fields; escape them so a "<" in a
    # headline reads as text, exactly as the page shows it.
    return canonical_text(
        escape(article.title), escape(article.standfirst), article.body
    )
