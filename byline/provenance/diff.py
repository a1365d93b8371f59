"""Word-by-word differences between two signed texts, for readers."""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

TOKEN = re.compile(r"\n|[^\s]+")
# Unchanged stretches longer than this are shortened to their ends.
CONTEXT_WORDS = 12


def _tokens(text):
    return TOKEN.findall(text or "")


def _join(words):
    html, line = [], []
    for word in words:
        if word == "\n":
            line.append("<br>")
        else:
            line.append(escape(word))
    for piece in line:
        if html and piece != "<br>" and html[-1] != "<br>":
            html.append(" ")
        html.append(piece)
    return "".join(html)


def word_diff(old, new):
    """Return (html, words added, words removed) between two canonical texts.

    Additions are <ins>, removals <del>; long unchanged passages keep a few words
    on each side of a change and an ellipsis in between.
    """
    a, b = _tokens(old), _tokens(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    parts, added, removed = [], 0, 0
    opcodes = matcher.get_opcodes()
    for index, (op, a0, a1, b0, b1) in enumerate(opcodes):
        if op == "equal":
            words = a[a0:a1]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * CONTEXT_WORDS:
                head = [] if first else words[:CONTEXT_WORDS]
                tail = [] if last else words[-CONTEXT_WORDS:]
                parts.append(
                    _join(head) + ' <span class="diff-skip">…</span> ' + _join(tail)
                )
            else:
                parts.append(_join(words))
            continue
        if a1 > a0:
            removed += sum(1 for w in a[a0:a1] if w != "\n")
            parts.append(f"<del>{_join(a[a0:a1])}</del>")
        if b1 > b0:
            added += sum(1 for w in b[b0:b1] if w != "\n")
            parts.append(f"<ins>{_join(b[b0:b1])}</ins>")
    return mark_safe(" ".join(p for p in parts if p)), added, removed
