"""How text in any script becomes words, the same for both indexes and the query.

One definition, used when an article is indexed and when a reader's query is
parsed, so the two cannot disagree:

- A word is a run of letters, digits and combining marks. Python's `\\w` and
  SQLite's default tokenizer leave the marks out, which cut Hindi "दिल्ली"
  into "द", "ल" and "ल" (the FTS5 tables count `M*` as token characters,
  migration 0006).
- Arabic short vowels (harakat) and the tatweel are optional in writing: they
  are dropped, so "مَعرض" finds "معرض". Latin accents are folded by the
  indexes themselves (FTS5 remove_diacritics 2, PostgreSQL's unaccent), so a
  snippet still shows "café".
- Chinese and Japanese are written without spaces, and both databases would
  take a whole sentence for one word. Each Han or kana character is indexed as
  its own word, and a query's run of them is searched as a phrase of those
  characters (so "北京" finds "北京举办…"; the spaces are taken out of
  snippets again, `join_ideographs`).
"""

import functools
import re
import unicodedata

from byline.core.text import ARABIC_OPTIONAL_MARKS

# Arabic harakat, superscript alef and tatweel.
ARABIC_OPTIONAL = re.compile(f"[{ARABIC_OPTIONAL_MARKS}\u0640]")
# Han (CJK unified ideographs and extension A, compatibility), hiragana, katakana.
IDEOGRAPH = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
IDEOGRAPH_RUN = re.compile(f"[{IDEOGRAPH}]+")
_SPACED = re.compile(f"(?<=[{IDEOGRAPH}]) (?=[{IDEOGRAPH}])")


def normalize(text):
    """Return text in one Unicode form with optional Arabic marks removed."""
    return ARABIC_OPTIONAL.sub("", unicodedata.normalize("NFC", text or ""))


def split_ideographs(text):
    """Put a space between Han and kana characters, so each is a word."""
    return IDEOGRAPH_RUN.sub(lambda m: " ".join(m.group(0)), text)


def for_index(text):
    """Return text as the indexes store it."""
    return split_ideographs(normalize(text))


def is_word_character(character):
    return character.isalnum() or unicodedata.category(character)[0] == "M"


class _Separators(dict):
    """A str.translate table turning every character that is not part of a word
    into a space, filled in as characters are first met: a per-character
    Python test was a tenth of an import's indexing time."""

    def __missing__(self, code):
        self[code] = code if is_word_character(chr(code)) else 32
        return self[code]


SEPARATORS = _Separators()


def split_words(text):
    """Return the words of text as written (letters, digits and their marks)."""
    return text.translate(SEPARATORS).split()


def words(text):
    """Return the words of a query, lower-cased, ideograph runs spaced."""
    return [split_ideographs(w) for w in split_words(normalize(text).lower())]


def join_ideographs(text, marks=""):
    """Take out the spaces `split_ideographs` put in (and highlight marks
    between two ideographs, so one match is marked once)."""
    if marks:
        start, end = (re.escape(m) for m in marks)
        merged, spaced = _mark_patterns(start, end)
        text = spaced.sub(lambda m: (m.group(1) or "") + (m.group(2) or ""),
                          merged.sub("", text))  # fmt: skip
    return _SPACED.sub("", text)


@functools.cache
def _mark_patterns(start, end):
    between = f"(?<=[{IDEOGRAPH}])"
    return (
        re.compile(f"{between}{end} {start}(?=[{IDEOGRAPH}])"),
        re.compile(f"{between}({end})? ({start})?(?=[{IDEOGRAPH}])"),
    )
