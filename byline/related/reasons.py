"""Why two articles are related, in words a reader recognises.

A reason names what both articles are about: their shared tags first (the
engine's), then names (people, places, organisations) among the words that add
most to the two articles' similarity. A word counts as a name when both
articles' texts (headline, standfirst, first lines) write it, always with a
capital, and at least once where a capital says so: not at the start of a line
or a sentence ("Leaders of the 32 allies …" proves nothing; "… said the
Kremlin" does). The capitalised words around it make the whole name ("Federal
Reserve", "Xi Jinping") when the other article writes that too. Common words
the two texts happen to share ("allies and member", "state and markets") are
never shown; without a name the engine falls back to the section. None of this
changes which articles are chosen, only what is said about them.

The search is driven by the few shared terms, with string methods over the two
texts, so explaining a list costs microseconds, not a full tokenisation: a
rebuild explains every list of the archive.
"""

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# What ends a sentence (or opens a quotation), before the next word's capital.
SENTENCE_ENDS = frozenset('.!?:;"“”\n')
INNER = frozenset("'’-")  # may join letters inside a word: "O'Brien", "Kim-Il"
# Capitalised, but not a name a reader would call a topic.
NOT_NAMES = (
    frozenset(
        """january february march april may june july august september october
    november december monday tuesday wednesday thursday friday saturday sunday
    mr mrs ms dr""".split()
    )
    | ENGLISH_STOP_WORDS
)
# The word just after a position, one space away.
WORD_AFTER = re.compile(r" ([^\W\d_][\w'’-]*)")
POSSESSIVE = re.compile(r"['’]s$")
TERMS_TRIED = 6


class Text:
    """One article's text for reasons, with its lower-case twin for searching."""

    __slots__ = ("text", "low")

    def __init__(self, text):
        self.text = text
        low = text.lower()
        # A few characters change length when lowered ("İ"): search the text
        # itself then, which only misses names written in other cases.
        self.low = low if len(low) == len(text) else text

    def occurrences(self, term):
        """Start positions where `term` is a whole word (possessive allowed),
        or None as soon as one is written without a capital."""
        found, start = [], self.low.find(term)
        while start != -1:
            end = start + len(term)
            before = self.low[start - 1] if start else " "
            after = self.low[end] if end < len(self.low) else " "
            if not (before.isalnum() or before in INNER) and not (
                after.isalnum()
                or (after in INNER and self.low[end : end + 2] not in ("'s", "’s"))
            ):
                if not self.text[start].isupper():
                    return None
                found.append(start)
            start = self.low.find(term, end)
        return found

    def opens_sentence(self, start):
        """Whether the word at `start` begins a line or a sentence."""
        i = start - 1
        while i >= 0 and self.text[i] in " \t":
            i -= 1
        return i < 0 or self.text[i] in SENTENCE_ENDS

    def word_before(self, start):
        """(position, word) of the word one space before `start`, or None."""
        end = start - 1
        if end < 1 or self.text[end] != " ":
            return None
        i = end - 1
        while i >= 0 and (self.text[i].isalnum() or self.text[i] in INNER):
            i -= 1
        if i + 1 == end or not self.text[i + 1].isalpha():
            return None
        return i + 1, self.text[i + 1 : end]

    def name_around(self, start, length):
        """The run of capitalised words around the word at `start`."""
        word = self.text[start : start + length]
        words = [word]
        left = start
        while before := self.word_before(left):
            left, previous = before
            if not previous[0].isupper() or POSSESSIVE.search(previous):
                break
            if self.opens_sentence(left) and previous.lower() in NOT_NAMES:
                break  # "The Federal Reserve": the article is not the name
            words.insert(0, previous)
        right = start + length
        if not self.text.startswith(("'s", "’s"), right):
            while match := WORD_AFTER.match(self.text, right):
                following = match.group(1)
                if not following[0].isupper() or following.lower() in NOT_NAMES:
                    break
                bare = POSSESSIVE.sub("", following)
                words.append(bare)
                if bare != following:
                    break
                right = match.end()
        return " ".join(words)


def name_for(term, texts):
    """`term` as the name both `texts` write, widened to the longest run of
    capitalised words around it that each text writes; None if it is no name."""
    if term in NOT_NAMES:
        return None
    found = []
    for text in texts:
        starts = text.occurrences(term)
        if not starts:
            return None  # both write it, and never in lower case (a common word)
        found.append((text, starts))
    best = None
    for text, starts in found:
        # A capital that opens a sentence says nothing; the first other is enough.
        start = next((s for s in starts if not text.opens_sentence(s)), None)
        if start is None:
            continue
        if best is None:
            best = text.text[start : start + len(term)]
        name = text.name_around(start, len(term))
        if len(name) > len(best) and all(name.lower() in t.low for t in texts):
            best = name
    return best


# What turns a place into its people or language: Japan → Japanese, Turkey →
# Turkish, Russia → Russian, China → Chinese.
DEMONYM_ENDINGS = ("ese", "ish", "ian", "an", "n", "i", "ic")


def same_place(name, other):
    """Whether two one-word names are a place and its demonym."""
    a, b = sorted((name.casefold(), other.casefold()), key=len)
    if " " in a or " " in b:
        return False
    common = 0
    while common < len(a) and a[common] == b[common]:
        common += 1
    return common >= 4 and len(a) - common <= 2 and b[common:] in DEMONYM_ENDINGS


def shared_names(terms, text_a, text_b, limit=2):
    """Up to `limit` names, from `terms` (the words the two articles share,
    weightiest first), that both texts (str or Text) write as names."""
    texts = tuple(t if isinstance(t, Text) else Text(t) for t in (text_a, text_b))
    chosen = []
    for term in terms[:TERMS_TRIED]:
        name = name_for(term, texts)
        if name is None:
            continue
        if any(same_place(name, other) for other in chosen):
            continue  # "Japan" and "Japanese" are one topic
        parts = set(name.casefold().split())
        known = [set(other.casefold().split()) for other in chosen]
        if any(parts <= other for other in known):
            continue  # "Xi" says nothing more once "Xi Jinping" is there
        # And "Xi Jinping" says more than "Xi": it takes its place.
        wider = [n for n, other in enumerate(known) if other < parts]
        if wider:
            chosen[wider[0]] = name
            chosen = [c for n, c in enumerate(chosen) if n not in wider[1:]]
            continue
        chosen.append(name)
        if len(chosen) == limit:
            break
    return chosen
