"""Inline feedback: find a quoted passage in an article again, and mark it.

An anchor is stored like a W3C Web Annotation TextQuoteSelector (the exact
quote, some text before and after it) plus its position in the article's text.
The text is the article body's text nodes in order, with a line break between
blocks, so the same passage has the same position for the reader's browser
(which sends the quote) and for the server (which marks it).

Finding a passage again after an edit: the exact quote first, choosing among
repeats by how well the text around each matches the stored context; then a
fuzzy match (rapidfuzz) above a threshold; else the anchor is "lost" and shown
as a comment on an earlier version, with its quote.
"""

import re
import unicodedata
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from django.utils.translation import ngettext
from rapidfuzz import fuzz

FOUND, MOVED, LOST = "found", "moved", "lost"
FUZZY_THRESHOLD = 85
MAX_QUOTE = 1000
CONTEXT = 40
BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figure",
    "figcaption", "pre", "div", "ul", "ol", "table", "tr", "br", "hr",
}  # fmt: skip
SPACE = re.compile(r"\s+")
APOSTROPHES = "'\u2019"


def _wordy(ch):
    # A letter, digit or combining mark: JavaScript's [\p{L}\p{N}\p{M}].
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _inside_word(text, i):
    """Whether position i (between text[i - 1] and text[i]) is inside a word:
    between two word characters, or at an apostrophe between two ("Putin's")."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if _wordy(a) and _wordy(b):
        return True
    if b in APOSTROPHES and _wordy(a) and i + 1 < len(text) and _wordy(text[i + 1]):
        return True
    return a in APOSTROPHES and _wordy(b) and i >= 2 and _wordy(text[i - 2])


def whole_words(text, start, end):
    """Widen text[start:end] to whole words, so that a passage never begins or
    ends inside a word. The same rule as wholeWords in static/js/comments.js."""
    while _inside_word(text, start):
        start -= 1
    while _inside_word(text, end):
        end += 1
    return start, end


@dataclass
class Anchor:
    start: int
    end: int
    state: str


class _Walker(HTMLParser):
    """Split HTML into tags and text chunks, keeping each chunk's text offset."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []  # ("tag", raw) or ("text", data, start offset)
        self.text = []
        self.length = 0

    def _block(self, tag):
        if tag in BLOCKS and self.length and self.text[-1][-1:] != "\n":
            self.text.append("\n")
            self.length += 1

    def handle_starttag(self, tag, attrs):
        self._block(tag)
        self.parts.append(("tag", self.get_starttag_text()))

    def handle_startendtag(self, tag, attrs):
        self._block(tag)
        self.parts.append(("tag", self.get_starttag_text()))

    def handle_endtag(self, tag):
        self.parts.append(("tag", f"</{tag}>"))
        self._block(tag)

    def handle_data(self, data):
        self.parts.append(("text", data, self.length))
        self.text.append(data)
        self.length += len(data)


def _walk(html):
    walker = _Walker()
    walker.feed(html or "")
    walker.close()
    return walker


def text_of(html):
    """The article text that anchors count positions in."""
    return "".join(_walk(html).text)


def _normalised(text):
    """Collapse whitespace; return (normalised text, raw index of each char)."""
    chars, index = [], []
    previous_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if previous_space:
                continue
            chars.append(" ")
            previous_space = True
        else:
            chars.append(ch)
            previous_space = False
        index.append(i)
    return "".join(chars), index


def _clean(value):
    return SPACE.sub(" ", value or "").strip()


def locate(text, quote, prefix="", suffix=""):
    """Return an Anchor for the quote in text (positions in text), or state LOST."""
    quote = _clean(quote)[:MAX_QUOTE]
    if not quote:
        return Anchor(0, 0, LOST)
    flat, index = _normalised(text)
    prefix, suffix = _clean(prefix)[-CONTEXT:], _clean(suffix)[:CONTEXT]

    best, best_score = None, -1.0
    start = flat.find(quote)
    while start != -1:
        before = flat[max(0, start - len(prefix) - 1) : start].strip()
        after = flat[start + len(quote) : start + len(quote) + len(suffix) + 1].strip()
        score = fuzz.ratio(before[-len(prefix) :], prefix) if prefix else 100.0
        score += fuzz.ratio(after[: len(suffix)], suffix) if suffix else 100.0
        if score > best_score:
            best, best_score = start, score
        start = flat.find(quote, start + 1)
    if best is not None:
        start, end = whole_words(flat, best, best + len(quote))
        return Anchor(index[start], index[end - 1] + 1, FOUND)

    alignment = fuzz.partial_ratio_alignment(quote, flat, score_cutoff=FUZZY_THRESHOLD)
    if alignment is not None and alignment.dest_end > alignment.dest_start:
        # The alignment is as long as the quote; an edit that lengthened the
        # passage leaves words cut at either end: widen to whole words.
        start, end = whole_words(flat, alignment.dest_start, alignment.dest_end)
        return Anchor(index[start], index[end - 1] + 1, MOVED)
    return Anchor(0, 0, LOST)


def _merge(ranges):
    """Merge overlapping (start, end, comment ids) ranges."""
    merged = []
    for start, end, ids in sorted(ranges):
        if merged and start < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], end), last[2] + ids)
        else:
            merged.append((start, end, list(ids)))
    return merged


def mark(html, ranges):
    """Return html with each (start, end, [comment ids]) text range in <mark>.

    A range that crosses tags is closed before each tag and reopened after it,
    so the markup stays well formed. Text is re-escaped on the way out.
    """
    if not any(end > start for start, end, _ in ranges):
        return html
    walked = _walk(html)
    # Whole words, for anchors stored before quotes were snapped to them: the
    # count badge drawn after a range must never split a word.
    text = "".join(walked.text)
    merged = _merge([(*whole_words(text, s, e), ids) for s, e, ids in ranges if e > s])
    out = []
    for part in walked.parts:
        if part[0] == "tag":
            out.append(part[1])
            continue
        _, data, offset = part
        position = 0
        for start, end, ids in merged:
            lo, hi = max(start - offset, 0), min(end - offset, len(data))
            if hi <= position or lo >= len(data) or hi <= lo:
                continue
            lo = max(lo, position)
            out.append(escape(data[position:lo], quote=False))
            last = end - offset <= len(data) and end - offset == hi
            out.append(
                f'<mark class="feedback" data-comments="{" ".join(map(str, ids))}">'
                + escape(data[lo:hi], quote=False)
                + "</mark>"
            )
            if last:
                count = len(ids)
                # The number is drawn by CSS from data-count, so it never joins
                # the article's text (a reader selecting a passage won't copy it).
                label = ngettext(
                    "%(count)d comment on this passage",
                    "%(count)d comments on this passage",
                    count,
                ) % {"count": count}
                out.append(
                    f'<a class="feedback-count" href="#comment-{ids[0]}" '
                    f'data-count="{count}" aria-label="{escape(label)}"></a>'
                )
            position = hi
        out.append(escape(data[position:], quote=False))
    return "".join(out)


def quoted(text, quote, anchor):
    """The quote to keep: the article's words where the passage was found as
    quoted (widened to whole words), the reader's own where it had moved."""
    if anchor.state == FOUND:
        quote = text[anchor.start : anchor.end]
    return _clean(quote)
