"""A reader's plain text as safe HTML: paragraphs, line breaks, links, nothing else.

Links are found by linkify-it-py (the linkifier markdown-it uses): http and
https URLs, `www.` addresses and bare domains of common top-level domains,
keeping parentheses that belong to the URL (Wikipedia's
`…/Python_(programming_language)`) and leaving out the punctuation around it.
Email addresses and `mailto:`, `ftp:` and `//` links stay text. Everything
else is escaped, and nh3 keeps only `p`, `br` and `a[href]` of what is made.
"""

import re
import threading
from functools import lru_cache

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from linkify_it import LinkifyIt

BLANK_LINE = re.compile(r"\n\s*\n")
REL = "nofollow ugc noopener"

# A LinkifyIt keeps the state of its last match, so each thread has its own.
_local = threading.local()


def _linkifier():
    linkifier = getattr(_local, "linkifier", None)
    if linkifier is None:
        linkifier = (
            LinkifyIt()
            .add("ftp:", None)
            .add("mailto:", None)
            .add("//", None)
            .set({"fuzzy_email": False})
        )
        _local.linkifier = linkifier
    return linkifier


def _links(text):
    return _linkifier().match(text) or []


def _linkify(line):
    parts, last = [], 0
    for link in _links(line):
        parts.append(escape(line[last : link.index]))
        parts.append(f'<a href="{escape(link.url)}">{escape(link.text)}</a>')
        last = link.last_index
    parts.append(escape(line[last:]))
    return "".join(parts)


# A page shows the same comments to reader after reader: their HTML is kept
# (by text, which is all it depends on) rather than linkified again each time.
@lru_cache(maxsize=2048)
def render(text):
    """Return the comment as HTML: every character escaped, URLs as links."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p.strip("\n") for p in BLANK_LINE.split(text) if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(_linkify(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    # Belt and braces: whatever the code above produced, only these survive.
    cleaned = nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=REL,
    )
    return mark_safe(cleaned)


def count_links(text):
    """How many links `render` makes of the text (the moderation link limit)."""
    return len(_links(text or ""))
