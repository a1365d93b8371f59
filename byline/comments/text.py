"""A reader's plain text as safe HTML: paragraphs, line breaks, links, nothing else."""

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe

URL = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than a URL: "see https://x.org."
TRAILING = ".,;:!?)]}'\""
BLANK_LINE = re.compile(r"\n\s*\n")
REL = "nofollow ugc noopener"


def _linkify(line):
    parts, last = [], 0
    for match in URL.finditer(line):
        url = match.group(0)
        while url and url[-1] in TRAILING:
            url = url[:-1]
        end = match.start() + len(url)
        parts.append(escape(line[last : match.start()]))
        parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        last = end
    parts.append(escape(line[last:]))
    return "".join(parts)


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
    return len(URL.findall(text or ""))
