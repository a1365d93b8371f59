"""WordPress post HTML → the rich text our editor stores, reporting what changed.

Handles classic-editor content (paragraphs as blank lines, `wpautop`'s job),
block-editor content (`<!-- wp:… -->` comments), shortcodes and embeds. Images
become Wagtail image embeds where they stood (`<embed embedtype="image" …/>`,
with their alt text; a `[caption]` or `<figcaption>` becomes the paragraph
after the picture) when the caller finds their file; an image whose file is
missing becomes "[Image: its alt text]". What our rich text cannot hold is kept
as text (a shortcode keeps its inner text, an embed becomes a link) and
counted in the report; nothing is silently dropped.
"""

import re
from collections import Counter
from html import escape, unescape

import nh3

from byline.importers.wp_report import AS_TEXT, PLACED

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
# A placed picture is this marker (private-use characters, removed from the
# input first) until the HTML is clean; then its embed takes the place.
PICTURE = "\ue000{}\ue001"
PICTURE_MARK = re.compile("\ue000(\\d+)\ue001")
FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.I | re.S)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.I | re.S)
ALIGN = re.compile(r"\balign(left|right|center|none)\b", re.I)
CLASS = re.compile(r'\bclass\s*=\s*"([^"]*)"', re.I)
# A picture wrapped in a link or emphasis (the link usually opened the file).
WRAPPED_PICTURE = re.compile(
    r"<(a|b|strong|i|em)\b[^>]*>\s*(\ue000\d+\ue001)\s*</\1>", re.I
)
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
INLINE_TAG = re.compile(r"<(/?)(a|b|strong|i|em)\b[^>]*>", re.I)
EDGE_BREAKS = re.compile(r"^(\s*<br>\s*)+|(\s*<br>\s*)+$")
REMOVED_WITH_CONTENT = {"script", "style"}
HEADING = re.compile(r"<(/?)h([1456])\b([^>]*)>", re.I)
STARTS_BLOCK = re.compile(
    r"^<(p|h[1-6]|ul|ol|li|blockquote|div|figure|table|pre|hr|dl|iframe|video|audio"
    r"|section|form|address)\b",
    re.I,
)
UNKNOWN_TAG = re.compile(r"</?([a-zA-Z][\w-]*)")


def convert(html, report=None, images=None):
    """Return (rich text HTML, Counter of what was converted).

    `images(src)` returns the id of the Wagtail image for an image's URL, or
    None when its file is missing (the image then stays as text).
    """
    report = report if report is not None else Counter()
    pictures = Pictures(images, report)
    html = (html or "").replace("\ue000", "").replace("\ue001", "")
    html = BLOCK_COMMENT.sub("", html)
    html = MORE.sub("", html)
    html = _autop(html)
    html = BARE_URL_LINE.sub(lambda m: _embed(m.group(1), report), html)
    html = URL_PARAGRAPH.sub(lambda m: _embed(m.group(1), report), html)
    html = CAPTION.sub(lambda m: pictures.caption(m), html)
    html = FIGURE.sub(lambda m: pictures.figure(m), html)
    html = IFRAME.sub(lambda m: _embed(m.group(1), report), html)
    html = IMG.sub(lambda m: pictures.image(m.group(0)), html)
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
    return _tidy(pictures.place(cleaned)), report


class Pictures:
    """The images of one body: placed as Wagtail image embeds when their file
    is found, kept as "[Image: alt]" text when it is not."""

    def __init__(self, images, report):
        self.images = images
        self.report = report
        self.embeds = []

    def image(self, tag, caption="", align=""):
        """Return the marker of a placed picture (then its caption as the
        next paragraph), or the image as text."""
        alt = ALT.search(tag)
        alt = unescape(alt.group(1)) if alt else ""
        src = SRC.search(tag)
        image_id = self.images(unescape(src.group(1))) if src and self.images else None
        if image_id is None:
            self.report[AS_TEXT] += 1
            if caption:
                self.report["captions kept as text"] += 1
            label = alt or (src.group(1).rsplit("/", 1)[-1] if src else "image")
            return " " + IMAGE_MARK.format(label) + " " + caption
        self.report[PLACED] += 1
        classes = CLASS.search(tag)
        align = ALIGN.search(align) or ALIGN.search(classes.group(1) if classes else "")
        image_format = {"left": "left", "right": "right"}.get(
            align.group(1).lower() if align else "", "fullwidth"
        )
        self.embeds.append(
            f'<embed alt="{escape(alt)}" embedtype="image" '
            f'format="{image_format}" id="{int(image_id)}"/>'
        )
        marker = PICTURE.format(len(self.embeds) - 1)
        if caption:
            self.report["captions kept under their picture"] += 1
            return f"{marker}<i>{caption}</i>"
        return marker

    def caption(self, match):
        """[caption align="…"]<img …> The caption[/caption]."""
        inner = match.group(1)
        image = IMG.search(inner)
        if image is None:
            self.report["captions kept as text"] += 1
            return inner + "\n\n"
        text = _without_link_husk(IMG.sub("", inner)).strip()
        opening = match.group(0)[: match.group(0).find("]") + 1]
        return self.image(image.group(0), caption=text, align=opening) + "\n\n"

    def figure(self, match):
        """<figure class="wp-block-image"><img><figcaption>…</figcaption></figure>."""
        inner = match.group(1)
        image = IMG.search(inner)
        if image is None:
            return match.group(0)  # an embed or a quote: the other rules take it
        found = FIGCAPTION.search(inner)
        text = found.group(1).strip() if found else ""
        opening = match.group(0)[: match.group(0).find(">") + 1]
        placed = self.image(image.group(0), caption=text, align=opening)
        return f"<p>{placed}</p>"

    def place(self, html):
        """Put each picture at the top level where it stood: a paragraph around
        it is split in two, so the stored rich text has the embed as a block."""
        if not self.embeds:
            return html
        previous = None
        while previous != html:
            previous, html = html, WRAPPED_PICTURE.sub(r"\2", html)
        html = PARAGRAPH.sub(self._split, html)
        return PICTURE_MARK.sub(lambda m: self.embeds[int(m.group(1))], html)

    def _split(self, match):
        parts = PICTURE_MARK.split(match.group(1))
        texts = parts[0::2]
        if len(parts) == 1 or not all(_balanced(t) for t in texts):
            return match.group(0)  # an embed inside formatting stays inline
        out = []
        for n, part in enumerate(parts):
            if n % 2:
                out.append(PICTURE.format(part))
            else:
                part = EDGE_BREAKS.sub("", part).strip()
                if part:
                    out.append(f"<p>{part}</p>")
        return "".join(out)


def _balanced(html):
    depth = 0
    for closing, _ in INLINE_TAG.findall(html):
        depth += -1 if closing else 1
        if depth < 0:
            return False
    return depth == 0


def _without_link_husk(html):
    """Drop the empty link that wrapped a caption's image."""
    return re.sub(r"<a\b[^>]*>\s*</a>", "", html, flags=re.I)


def _embed(url, report):
    report["embeds kept as links"] += 1
    return f'<p><a href="{escape(url)}">{escape(url)}</a></p>'


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

    return unescape(re.sub(r"[ \t]+", " ", text)).strip()
