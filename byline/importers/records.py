"""Parse and validate one JSON Lines record of an article corpus (DESIGN.md).

A record is `{"id", "title", "body", "category", "published"?, "author"?, "tags"?}`.
Parsing never touches the database, so a bad line costs nothing to report.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

from django.utils.html import escape

MAX_TITLE = 255
MAX_ID = 255
MAX_STANDFIRST = 300
BLANK_LINE = re.compile(r"\n\s*\n")


class RecordError(ValueError):
    """A record that cannot be imported, with a reason a person can act on."""


@dataclass(frozen=True)
class ArticleRecord:
    source_id: str
    title: str
    body: str
    category: str | None
    published: datetime | None
    author: str | None
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Set when the corpus headline was too long for a page title and was shortened.
    full_title: str | None = None

    @cached_property
    def paragraphs(self):
        """Split the body into paragraphs: blank lines first, else one per line."""
        text = self.body.replace("\r\n", "\n").strip()
        blocks = BLANK_LINE.split(text)
        if len(blocks) == 1:
            blocks = text.split("\n")
        paragraphs = [" ".join(block.split()) for block in blocks if block.strip()]
        full = " ".join(self.full_title.split()) if self.full_title else None
        if full and (not paragraphs or paragraphs[0] != full):
            # The words cut from the headline stay in the article.
            paragraphs.insert(0, full)
        return paragraphs

    def body_html(self):
        """Return the body as escaped rich-text paragraphs."""
        return "".join(f"<p>{escape(p)}</p>" for p in self.paragraphs)

    def standfirst(self):
        """Return the lead paragraph, cut at a sentence or word boundary."""
        paragraphs = self.paragraphs
        # ECB+ style corpora repeat the headline as the first line of the body.
        if len(paragraphs) > 1 and paragraphs[0] in (self.title, self.full_title):
            paragraphs = paragraphs[1:]
        lead = paragraphs[0] if paragraphs else ""
        if len(lead) <= MAX_STANDFIRST:
            return lead
        cut = lead[:MAX_STANDFIRST]
        sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
        if sentence_end > MAX_STANDFIRST // 2:
            return cut[: sentence_end + 1]
        return cut.rsplit(" ", 1)[0] + "…"


def parse_line(line):
    """Return an ArticleRecord from one line of JSON, or raise RecordError."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise RecordError("expected a JSON object")
    source_id = _required_text(data, "id", MAX_ID)
    title = _required_text(data, "title")
    full_title = None
    if len(title) > MAX_TITLE:
        full_title, title = title, shorten(title, MAX_TITLE)
    body = _required_text(data, "body")
    return ArticleRecord(
        source_id=source_id,
        title=title,
        full_title=full_title,
        body=body,
        category=_optional_text(data, "category"),
        published=_published(data.get("published")),
        author=_optional_text(data, "author"),
        tags=_tags(data.get("tags")),
    )


def shorten(text, limit):
    """Cut text to at most limit characters at a word boundary, marked with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-–—")
    return cut + "…"


def _required_text(data, key, max_length=None):
    value = data.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise RecordError(f"missing or empty required field {key!r}")
    value = value.strip()
    if max_length and len(value) > max_length:
        raise RecordError(f"field {key!r} is longer than {max_length} characters")
    return value


def _optional_text(data, key):
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"field {key!r} must be a string or null")
    return value.strip() or None


def _published(value):
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RecordError("field 'published' must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"field 'published' is not ISO 8601: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _tags(value):
    if value is None:
        return ()
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise RecordError("field 'tags' must be a list of strings")
    seen = {}
    for tag in value:
        name = " ".join(tag.split())[:100]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return tuple(seen.values())
