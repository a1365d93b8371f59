"""What a provenance record says about an article, and how a page shows it.

Every verifier reads this definition: the server's mark (showing.py), the
reader's browser (static/provenance/js/verify.js) and the standalone
`tools/verify_article.py`, which has its own copy so that an outside verifier
never needs our code (tests run them on the same pages and compare the lists).

**The canonical text**, whose SHA-256 is the record's `content_sha256`:

1. The parts, in order: the headline, the standfirst, then the body. On the article
   page they are the elements marked `data-provenance="headline"`, `"standfirst"`
   and `"body"`; on the server they are the title, standfirst and stored rich text.
2. Each part is read as HTML. Block elements (paragraphs, headings, list items,
   quotations, line breaks, divisions, table cells, figures) end a line; every
   other tag is dropped without adding space, so `<b>Put</b>in` reads "Putin".
   Character references are decoded. Text inside elements that never show words
   (`script`, `style`, `template`) and image alt text are not included.
3. Each line is normalised to Unicode NFC, every run of whitespace becomes one
   space, and the line is stripped of spaces at both ends. Empty lines are dropped.
   Whitespace is exactly WHITESPACE_CODE_POINTS below (Unicode's White_Space
   property), not a language's `\\s`: Python's adds U+001C to U+001F and
   JavaScript's adds U+FEFF, so the two disagreed about the same page.
4. The lines of all parts are joined with a single line feed ("\\n"), encoded as
   UTF-8 and hashed with SHA-256; the hash is written as lowercase hex.

**What else the page shows**, signed as fields of the payload and marked in the
page with `data-provenance="<name>"` on the element that shows each (the payload
field each one shows in brackets). Version 1 payloads (no `v`: records signed
before versions existed) hold the fields marked ¹; version 2 (`"v": 2`) holds all.

- `headline` [headline]¹ and the text of the three parts [content_sha256]¹;
- `section` [section]¹; `author`, one element per author in byline order
  [authors]¹; `published_at` and `updated_at`, `<time>` elements whose `datetime`
  is the instant [published_at, updated_at]¹ (the updated time is shown only
  when it is later than the publication time);
- `type_of_work`: its `data-value` is the code [type_of_work]¹ and its text the
  label [type_of_work_label];
- `dateline` [dateline], `methods` [methods, one line per line of the text],
  `hero_caption` and `hero_credit` [hero_caption, hero_credit: empty without a
  hero image, since nothing shows them then];
- `source`, one element per source in order [sources: title, publisher, url]: its
  text is "title, publisher" (or the title alone) and its first link's `href`
  the url.

A verifier compares what each record signed and nothing more, so old records
still verify. Each marked element must show the signed value (compared as
canonical lines); a signed value that is not empty must be shown at least
once; lists match element for element. Instants are compared to the millisecond.
"""

import functools
import hashlib
import re
import unicodedata
from datetime import UTC
from html import unescape
from html.parser import HTMLParser

from django.utils.html import escape
from django.utils.translation import get_language, override

from byline.core import remembered
from byline.news.models import TypeOfWork

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "ol", "p", "pre", "section", "table", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
HIDDEN_TAGS = frozenset({"script", "style", "template"})

# Unicode White_Space (PropList.txt). verify.js and tools/verify_article.py hold
# the same list; test_canonical compares them, and a browser test compares what
# each language then treats as a space over every code point.
WHITESPACE_CODE_POINTS = (
    0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x0085, 0x00A0, 0x1680,
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
    0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)  # fmt: skip
WHITESPACE = re.compile(
    "[" + "".join(f"\\u{code:04x}" for code in WHITESPACE_CODE_POINTS) + "]+"
)
# Python's str.split() splits on White_Space and on these four separators
# (test_canonical compares the two over every code point): text without them
# is normalised by str.split(), several times faster than WHITESPACE.
SPLIT_ALSO = frozenset("\x1c\x1d\x1e\x1f")
# Where a plain-text field (methods) starts a new line, as Django's linebreaksbr.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A fragment that is only <p> elements holding text (what the JSON Lines
# importer stores): its lines are the paragraphs' unescaped text, exactly as
# _Lines finds them (test_canonical compares the two), without parsing.
PLAIN_PARAGRAPHS = re.compile(r"(?:<p>[^<]*</p>)+")

PAYLOAD_VERSION = 2
# Payload fields that describe what the page shows, by payload version.
SHOWN_FIELDS = {
    1: (
        "headline", "standfirst", "authors", "section", "type_of_work",
        "published_at", "updated_at",
    ),
    2: (
        "headline", "standfirst", "authors", "section", "type_of_work",
        "type_of_work_label", "published_at", "updated_at", "dateline", "methods",
        "sources", "hero_caption", "hero_credit",
    ),
}  # fmt: skip


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


# Where remember_article_text keeps a text and its digest (core/remembered.py).
KNOWN_TEXT = "_byline_canonical_text"
KNOWN_SHA256 = "_byline_canonical_sha256"


def normalise(text):
    """NFC, whitespace runs to one space, stripped of spaces."""
    text = unicodedata.normalize("NFC", text)
    if SPLIT_ALSO.isdisjoint(text):
        return " ".join(text.split())
    return WHITESPACE.sub(" ", text).strip(" ")


def lines_of(html):
    """Return the visible lines of an HTML fragment."""
    html = html or ""
    if "<" not in html:
        # Plain text (an escaped headline or standfirst): one line. The
        # parser decodes character references with html.unescape too.
        line = normalise(unescape(html))
        return [line] if line else []
    if PLAIN_PARAGRAPHS.fullmatch(html):
        lines = (normalise(unescape(p)) for p in html[3:-4].split("</p><p>"))
        return [line for line in lines if line]
    return parsed_lines(html)


def parsed_lines(html):
    """Return the visible lines of an HTML fragment, read by the HTML parser."""
    parser = _Lines()
    parser.feed(html or "")
    parser.close()
    return parser.lines


def text_lines(text):
    """The lines a plain-text field shows with its line breaks kept."""
    lines = (normalise(line) for line in LINE_BREAK.split(text or ""))
    return [line for line in lines if line]


def canonical_text(headline, standfirst, body_html):
    """Return the canonical text of an article from its three parts."""
    lines = [*lines_of(headline), *lines_of(standfirst), *lines_of(body_html)]
    return "\n".join(lines)


def content_sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_sha256(article, text):
    """`content_sha256(text)` of `text`, an article's canonical text: the
    digest remember_article_text worked out with it, if it is that text."""
    known = remembered.recall(article, KNOWN_SHA256, text)
    return known if known is not None else content_sha256(text)


def article_text(article):
    """Canonical text of an ArticlePage as it is stored (or as a revision holds it)."""
    parts = (article.title, article.standfirst, article.body)
    known = remembered.recall(article, KNOWN_TEXT, parts)
    if known is not None:
        return known
    # Headline and standfirst are plain text fields; escape them so a "<" in a
    # headline reads as text, exactly as the page shows it.
    return canonical_text(escape(parts[0]), escape(parts[1]), parts[2])


def remember_article_text(article, text):
    """Give an article the canonical text worked out for its present headline,
    standfirst and body, and its digest (an import does both ahead, in another
    process); `article_text` returns the text while those three are unchanged,
    `article_sha256` the digest while it is asked for that text."""
    parts = (article.title, article.standfirst, article.body)
    remembered.remember(article, KNOWN_TEXT, parts, text)
    remembered.remember(article, KNOWN_SHA256, text, content_sha256(text))


def isoformat(moment):
    """An instant as the payload writes it: UTC, with a Z."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def shown_fields(article, authors, fallback_time=None):
    """What the article page shows of an article, as the payload signs it
    (every field of the current version; `authors` in byline order)."""
    published = article.published_at or article.first_published_at or fallback_time
    updated = article.updated_at or published
    has_hero = article.hero_image_id is not None
    return {
        "headline": article.title,
        "standfirst": article.standfirst,
        "authors": [author.name for author in authors],
        "section": article.section.title if article.section_id else "",
        "type_of_work": article.type_of_work,
        "type_of_work_label": type_of_work_label(article.type_of_work),
        "published_at": isoformat(published) if published else "",
        "updated_at": isoformat(max(updated, published)) if published else "",
        "dateline": article.dateline,
        "methods": article.methods,
        "sources": [_source(block.value) for block in article.sources],
        "hero_caption": article.hero_caption if has_hero else "",
        "hero_credit": article.hero_credit if has_hero else "",
    }


def type_of_work_label(code):
    """The label the page shows for a type of work (the code when unknown), as
    get_type_of_work_display() gives it; that one hashes every translated choice
    on each call, a fifth of an import's signing time."""
    return _label(str(code), get_language())


@functools.lru_cache(maxsize=64)
def _label(code, language):
    with override(language):
        return str(dict(TypeOfWork.choices).get(code, code))


def _source(value):
    return {
        "title": value.get("title") or "",
        "publisher": value.get("publisher") or "",
        "url": value.get("url") or "",
    }


def payload_version(payload):
    return payload.get("v", 1)


def differences(payload, article, authors):
    """Names of what the stored article no longer shows as `payload` signed it:
    its canonical text and every shown field of the payload's version."""
    differ = []
    if payload.get("content_sha256") != content_sha256(article_text(article)):
        differ.append("text")
    fields = SHOWN_FIELDS.get(payload_version(payload))
    if fields is None:
        return [*differ, "version"]
    current = shown_fields(article, authors)
    for name in fields:
        if payload.get(name) != current[name]:
            differ.append(name)
    return differ
