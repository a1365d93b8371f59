"""Read a WordPress WXR export as a stream of plain records.

`xml.etree.ElementTree.iterparse` reads the file element by element and every
item is cleared once read, so a 500 MB export does not need 500 MB of memory.
Namespaces are matched by what they are (WordPress has exported both
http://wordpress.org/export/1.2/ and https://…), not by exact URI.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

PREFIXES = [
    ("/export/1.2/excerpt", "excerpt"),
    ("/export/1.", "wp"),
    ("purl.org/rss/1.0/modules/content", "content"),
    ("purl.org/dc/elements", "dc"),
    ("wellformedweb.org/CommentAPI", "wfw"),
]


def name(tag):
    """'{http://wordpress.org/export/1.2/}post_id' → 'wp:post_id'."""
    if not tag.startswith("{"):
        return tag
    uri, local = tag[1:].split("}", 1)
    for marker, prefix in PREFIXES:
        if marker in uri:
            return f"{prefix}:{local}"
    return local


def wp_slug(value):
    """Return a WordPress slug as its letters: WordPress stores one made from a
    name in another script percent-encoded ("%d0%bc%d0%b8%d1%80" is "мир")."""
    return unquote(value or "")


def gmt_date(value):
    """Return a WXR date ("2024-03-01 09:30:00", UTC) as an aware datetime, or
    None for an empty, zero ("0000-00-00 …") or malformed one."""
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def text(element, child):
    for node in element:
        if name(node.tag) == child:
            return (node.text or "").strip()
    return ""


@dataclass
class Author:
    login: str
    name: str
    email: str
    bio: str


@dataclass
class Term:
    kind: str  # "category" or "post_tag"
    slug: str
    name: str
    parent: str = ""


@dataclass
class WPComment:
    id: str
    parent: str
    author: str
    email: str
    url: str
    date_gmt: str
    content: str
    approved: str
    type: str


@dataclass
class Item:
    post_id: str
    post_type: str
    status: str
    title: str
    link: str
    slug: str
    creator: str
    date_gmt: str
    content: str
    excerpt: str
    password: str
    parent: str
    attachment_url: str
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


def _item(element):
    item = Item(
        post_id=text(element, "wp:post_id"),
        post_type=text(element, "wp:post_type"),
        status=text(element, "wp:status"),
        title=text(element, "title"),
        link=text(element, "link"),
        slug=wp_slug(text(element, "wp:post_name")),
        creator=text(element, "dc:creator"),
        date_gmt=text(element, "wp:post_date_gmt") or text(element, "wp:post_date"),
        content=_raw(element, "content:encoded"),
        excerpt=_raw(element, "excerpt:encoded"),
        password=text(element, "wp:post_password"),
        parent=text(element, "wp:post_parent"),
        attachment_url=text(element, "wp:attachment_url"),
    )
    for node in element:
        tag = name(node.tag)
        if tag == "category":
            item.terms.append(
                Term(
                    node.get("domain", ""),
                    wp_slug(node.get("nicename", "")),
                    node.text or "",
                )
            )
        elif tag == "wp:postmeta":
            item.meta[text(node, "wp:meta_key")] = text(node, "wp:meta_value")
        elif tag == "wp:comment":
            item.comments.append(
                WPComment(
                    id=text(node, "wp:comment_id"),
                    parent=text(node, "wp:comment_parent"),
                    author=text(node, "wp:comment_author"),
                    email=text(node, "wp:comment_author_email"),
                    url=text(node, "wp:comment_author_url"),
                    date_gmt=text(node, "wp:comment_date_gmt")
                    or text(node, "wp:comment_date"),
                    content=_raw(node, "wp:comment_content"),
                    approved=text(node, "wp:comment_approved"),
                    type=text(node, "wp:comment_type"),
                )
            )
    return item


def _raw(element, child):
    for node in element:
        if name(node.tag) == child:
            return node.text or ""
    return ""


def read(source):
    """Yield ("site", url), Author, Term and Item records in file order."""
    depth = 0
    for event, element in ET.iterparse(source, events=("start", "end")):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        tag = name(element.tag)
        # rss(1) > channel(2) > these(3)
        if depth != 2:
            continue
        if tag == "wp:base_blog_url" or (tag == "link" and element.text):
            yield ("site", (element.text or "").strip())
        elif tag == "wp:author":
            yield Author(
                login=text(element, "wp:author_login"),
                name=text(element, "wp:author_display_name")
                or text(element, "wp:author_login"),
                email=text(element, "wp:author_email"),
                bio=text(element, "wp:author_description"),
            )
        elif tag == "wp:category":
            yield Term(
                "category",
                wp_slug(text(element, "wp:category_nicename")),
                text(element, "wp:cat_name"),
                text(element, "wp:category_parent"),
            )
        elif tag == "wp:tag":
            yield Term(
                "post_tag",
                wp_slug(text(element, "wp:tag_slug")),
                text(element, "wp:tag_name"),
            )
        elif tag == "item":
            yield _item(element)
        element.clear()
