"""WordPress post HTML → the rich text our editor stores, reporting what changed.

Handles classic-editor content (paragraphs as blank lines, `wpautop`'s job),
block-editor content (`<!-- wp:… -->` comments), shortcodes and embeds. What our
rich text cannot hold is kept as text (an image becomes "[Image: its alt text]",
a shortcode keeps its inner text, an embed becomes a link) and counted in the
report; nothing is silently dropped.
"""

import re
from collections import Counter
from html import escape

import nh3

ALLOWED_TAGS = {"p", "h2", "h3", "b", "strong", "i", "em", "a", "ol", "ul", "li",
                "blockquote", "br"}  # fmt: skip
BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
MORE = re.compile(r"<!--\s*(more|nextpage|noteaser)\b.*?-->", re.S)
SHORTCODE = re.compile(r"\[(/?)([a-zA-Z_][\w-]*)([^\]]*)\]")
CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.S)
IMG = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r'\balt\s*=\s*"([^"]*)"', re.I)
SRC = re.compile(r'\bsrc\s*=\s*"([^"]*)"', re.I)
IFRAME = re.compile(
    r"<iframe\b[^>]*\bsrc\s*=\s*\"([^\"]+)\"[^>]*>.*?</iframe>", re.I | re.S
)
BARE_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$", re.M)
URL_PARAGRAPH = re.compile(r"<p>\s*(https?://[^\s<]+)\s*</p>", re.I)
# Images become this marker until shortcodes are gone, then "[Image: …]".
IMAGE_MARK = "\u27e6Image: {}\u27e7"
REMOVED_WITH_CONTENT = {"script", "style"}
HEADING = re.compile(r"<(/?)h([1456])\b([^>]*)>", re.I)
STARTS_BLOCK = re.compile(
    r"^<(p|h[1-6]|ul|ol|li|blockquote|div|figure|table|pre|hr|dl|iframe|video|audio"
    r"|section|form|address)\b",
    re.I,
)
UNKNOWN_TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def convert(html, report=None):
    """Return (rich text HTML, Counter of what was converted to text)."""
    report = report if report is not None else Counter()
    html = BLOCK_COMMENT.sub("", html or "")
    html = MORE.sub("", html)
    html = _autop(html)
    html = BARE_URL_LINE.sub(lambda m: _embed(m.group(1), report), html)
    html = URL_PARAGRAPH.sub(lambda m: _embed(m.group(1), report), html)
    html = CAPTION.sub(lambda m: _caption(m.group(1), report), html)
    html = IFRAME.sub(lambda m: _embed(m.group(1), report), html)
    html = IMG.sub(lambda m: _image(m.group(0), report), html)
    html = SHORTCODE.sub(lambda m: _shortcode(m, report), html)
    html = html.replace("\u27e6", "[").replace("\u27e7", "]")
    html = HEADING.sub(lambda m: _heading(m, report), html)
    for tag in {t.lower() for t in UNKNOWN_TAG.findall(html)} - ALLOWED_TAGS:
        if tag in REMOVED_WITH_CONTENT:
            report[f"<{tag}> removed"] += 1
        else:
            report[f"<{tag}> kept as text"] += 1
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return _tidy(cleaned), report


def _caption(inner, report):
    report["captions kept as text"] += 1
    return IMG.sub(lambda m: _image(m.group(0), report), inner) + "\n\n"


def _embed(url, report):
    report["embeds kept as links"] += 1
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


def _image(tag, report):
    report["images kept as text"] += 1
    alt = ALT.search(tag)
    src = SRC.search(tag)
    label = (alt.group(1) if alt and alt.group(1) else "") or (
        src.group(1).rsplit("/", 1)[-1] if src else "image"
    )
    return " " + IMAGE_MARK.format(label) + " "


def _shortcode(match, report):
    closing, tag = match.group(1), match.group(2)
    if not closing:
        report[f"[{tag}] shortcodes kept as text"] += 1
    return ""


def _heading(match, report):
    closing, level, attrs = match.group(1), match.group(2), match.group(3)
    new = "2" if level == "1" else "3"
    if not closing:
        report[f"<h{level}> became <h{new}>"] += 1
    return f"<{closing}h{new}{attrs if not closing else ''}>"


def _autop(text):
    """WordPress's wpautop, in short: text between blank lines that is not
    already a block element becomes a paragraph, single newlines in it <br>."""
    out = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        chunk = chunk.strip()
        if not chunk or chunk == "&nbsp;":
            continue
        if STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append(f"<p>{chunk.replace(chr(10), '<br>')}</p>")
    return "\n".join(out)


def _tidy(html):
    html = re.sub(r"<p>\s*(<br>\s*)*</p>", "", html)
    return re.sub(r"\n{3,}", "\n\n", html).strip()


def plain_text(html):
    """Comment bodies: WordPress allows some HTML; ours are plain text."""
    text = nh3.clean(html or "", tags=set())
    from html import unescape

    return unescape(re.sub(r"[ \t]+", " ", text)).strip()
