"""Plain text from our own stored rich text, fast enough for bulk indexing."""

import re
import unicodedata
from html import unescape

TAG = re.compile(r"<[^>]*>")
# Arabic's harakat and superscript alef: short vowels, optional in writing
# ("مَعرض" is "معرض"). Search drops them with the tatweel (search/text.py);
# slugs leave them out while keeping every other script's marks (core/slugs.py).
ARABIC_OPTIONAL_MARKS = "\u064b-\u065f\u0670"


def html_to_text(html):
    """Return the words of rich-text HTML as plain text with single spaces.

    Only for HTML we stored ourselves (Wagtail rich text): tags become spaces so
    that words in adjacent blocks never run together, entities are decoded.
    """
    return " ".join(unescape(TAG.sub(" ", html or "")).split())


def direction(text):
    """Return "rtl" when the text's first strong character is written right to
    left (Arabic, Hebrew…), else "ltr": the rule of Unicode's bidirectional
    algorithm (P2, P3) that `dir="auto"` applies in a browser."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"
