"""M1: an anonymous reader who visits every public route finds nothing that is not
public.

The newsroom holds a draft, a login-only article, an article made
password-protected after it was public, one unpublished after it was public,
and one published inside a login-only section. Every route of the URLconf is
visited with every value its parameters can take (the hidden articles' ids,
paths and tags included), plus searches, suggestions, redirects and every link
the pages show. None of the hidden articles' headlines, slugs or ids may
appear, in a body or in a Location header. A route the crawl cannot fill in
fails `test_every_public_route_is_crawled_or_excused` until it is given values
or a reason.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urldefrag, urlencode, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from byline.security.tests.hidden_articles import (
    GUEST_EMAIL,
    HIDDEN,
    PENDING,
    PRIVATE_SECTION,
    SHARED_WORD,
    build_newsroom,
)
from byline.security.tests.routes import public_routes, route_key

# Makes pytest-django create the test database (the crawl fixture is per module).
pytestmark = pytest.mark.django_db

PAGE_LIMIT = 2000
# Routes not crawled, with the reason.
EXCUSED = {
    "^media/(?P<path>.*)$": "uploaded files (images, documents): no article text",
}
QUERIES = {
    "search": [
        {"q": SHARED_WORD},
        {"q": SHARED_WORD, "format": "json"},
        {"q": SHARED_WORD, "sort": "newest"},
        {"q": SHARED_WORD, "author": "mara-ellison"},
        {"q": "russia", "format": "json"},
        {"q": "tagqix"},
        {"q": "membersqix"},
        # One edit from each marker: "Did you mean" must not offer it.
        *({"q": marker[:-1] + "z"} for marker in HIDDEN),
        *({"q": marker + " report", "format": "json"} for marker in HIDDEN),
    ],
    "search_suggest": [
        {"q": "zeph"},
        {"q": SHARED_WORD},
        {"q": SHARED_WORD + " re"},
        *({"q": marker[:5]} for marker in HIDDEN),
    ],
    "wagtailapi:articles:listing": [
        {},
        {"tag": "tagqix-secret"},
        {"tag": "russia"},
        {"section": "membersqix"},
        {"author": "mara-ellison", "limit": "50"},
        {"fields": "*"},
    ],
    "wagtailapi:articles:find": [
        *({"id": str(pk)} for pk, _ in HIDDEN.values()),
        *({"html_path": f"/world/{marker}-report/"} for marker in HIDDEN),
    ],
    "provenance_log": [{}, {"from": "1", "limit": "500"}],
}


@dataclass
class Crawl:
    leaks: dict = field(default_factory=dict)  # route key -> [(secret, url)]
    visited: set = field(default_factory=set)  # route keys
    urls: set = field(default_factory=set)
    statuses: dict = field(default_factory=dict)  # url -> status
    pages: int = 0
    missing: list = field(default_factory=list)  # routes without values
    open_url: str = ""
    queue_left: int = 0


def _values(newsroom):
    """Return {parameter name: values} and {route key: {parameter: values}}."""
    from taggit.models import Tag
    from wagtail.models import PageViewRestriction

    from byline.news.models import Author, SectionPage

    hidden, shown = newsroom["hidden"], newsroom["open"]
    articles = [shown, *hidden.values()]
    comments = newsroom["comments"]
    tag_slugs = ["russia", "tagqix-secret", *Tag.objects.values_list("slug", flat=True)]
    author_slugs = list(Author.objects.values_list("slug", flat=True))
    sections = list(SectionPage.objects.values_list("slug", flat=True))
    paths = [a.url.lstrip("/") for a in articles]
    restrictions = list(PageViewRestriction.objects.values_list("pk", flat=True))
    by_name = {
        "article_id": [a.pk for a in articles],
        "comment_id": [c.pk for c in comments],
        "token": ["not-a-token", "A" * 60],
        "section": sections,
        "path": paths,
        "restriction_id": [1],
        "page_view_restriction_id": restrictions,
        "page_id": [a.pk for a in articles],
        "pk": [a.pk for a in articles],
    }
    by_route = {
        "tag": {"slug": tag_slugs},
        "tag_feed": {"slug": tag_slugs},
        "tag_feed_atom": {"slug": tag_slugs},
        "author": {"slug": author_slugs},
        "author_feed": {"slug": author_slugs},
        "author_feed_atom": {"slug": author_slugs},
        "sitemap_section": {"section": ["pages"]},
        "wagtaildocs_serve": {
            "document_id": ["1"],
            "document_filename": ["report.pdf"],
        },
        "wagtail_serve": {"0": ["", *paths, *(f"{s}/" for s in sections)]},
    }
    return by_name, by_route


def _secrets(newsroom):
    """Return [(label, compiled pattern)] of what must never be shown."""
    found = [
        ("pending comment", re.compile(re.escape(PENDING), re.I)),
        ("guest email", re.compile(re.escape(GUEST_EMAIL), re.I)),
        ("secret tag", re.compile("tagqix", re.I)),
        ("private section", re.compile(PRIVATE_SECTION, re.I)),
    ]
    for marker, (pk, how) in HIDDEN.items():
        found.append((f"{how} headline or slug", re.compile(marker, re.I)))
        found.append((f"{how} id", re.compile(rf"(?<!\d){pk}(?!\d)")))
    return found


# Wagtail's password form posts to an address holding the page's id: shown only
# to a reader who asked for that very page by its address.
PASSWORD_FORM = re.compile(r"/_util/authenticate_with_password/\d+/\d+/")


def _scrub(text, url):
    """Remove the request's own path and values (a 404 page may echo them)."""
    text = PASSWORD_FORM.sub("", text)
    parts = urlsplit(url)
    echoes = {parts.path, unquote(parts.path)}
    echoes |= {value for _, value in parse_qsl(parts.query) if value}
    echoes |= {parts.path.rstrip("/")}
    for echo in sorted(echoes, key=len, reverse=True):
        if len(echo) > 2:
            text = text.replace(echo, "")
    return text


def _body(response):
    if response.streaming:
        # Not response.close(): it sends request_finished, which would close
        # the test's database connection on PostgreSQL.
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _links(response, body, base):
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        soup = BeautifulSoup(body, "html.parser")
        found = [a.get("href") for a in soup.find_all(["a", "link"])]
        found += [f.get("action") for f in soup.find_all("form")]
    elif "xml" in content_type or "json" in content_type:
        found = re.findall(r"https?://[^\s\"<>']+|(?<=[\">])/[^\s\"<>']*", body)
    else:
        return []
    return [urldefrag(urljoin(base, h))[0] for h in found if h]


def _visit(reader, url, crawl, secrets, queue):
    parts = urlsplit(url)
    key = route_key(parts.path)
    if key:
        crawl.visited.add(key)
    response = reader.get(parts.path, dict(parse_qsl(parts.query, True)))
    if response.status_code == 405:
        response = reader.post(parts.path, {}, HTTP_SEC_FETCH_SITE="same-origin")
    crawl.pages += 1
    crawl.statuses[url] = response.status_code
    body = _body(response)
    shown = _scrub(body + "\n" + response.get("Location", ""), url)
    for label, pattern in secrets:
        if pattern.search(shown):
            crawl.leaks.setdefault(key or parts.path, []).append((label, url))
    links = _links(response, body, url)
    if response.has_header("Location"):
        links.append(urljoin(url, response["Location"]))
    for link in links:
        if _enqueue(link, crawl, queue) == "admin":
            crawl.leaks.setdefault(key or parts.path, []).append(("admin link", url))


def _enqueue(link, crawl, queue):
    target = urlsplit(link)
    if target.netloc not in ("", "testserver", "127.0.0.1:8000", "localhost"):
        return None
    if target.path.startswith(("/admin", "/django-admin")):
        return "admin"
    if target.path.startswith(("/static/", "/media/")):
        return None
    local = f"http://testserver{target.path}" + (
        f"?{target.query}" if target.query else ""
    )
    if local not in crawl.urls:
        crawl.urls.add(local)
        queue.append(local)
    return None


def _starting_urls(newsroom):
    by_name, by_route = _values(newsroom)
    urls, missing = [], []
    for route in public_routes():
        if route.key in EXCUSED:
            continue
        choices = {
            **{p: by_name.get(p) for p in route.params},
            **by_route.get(route.key, {}),
        }
        if any(not choices.get(p) for p in route.params):
            missing.append(route.key)
            continue
        for values in _combinations(route.params, choices):
            path = route.url(values)
            urls.append(f"http://testserver{path}")
            for query in QUERIES.get(route.key, []):
                urls.append(f"http://testserver{path}?{urlencode(query)}")
    for marker, (pk, _) in HIDDEN.items():
        # Redirects kept from an old site (and WordPress's /?p= addresses).
        urls += [f"http://testserver/old-{marker}", f"http://testserver/?p={pk}"]
    return urls, missing


def _combinations(params, choices):
    if not params:
        return [{}]
    # One parameter varies at a time, the others take their first value.
    combos = []
    for varied in params:
        for value in choices[varied]:
            combos.append({p: value if p == varied else choices[p][0] for p in params})
    return combos


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker):
    """Build the newsroom, crawl it once for the module, and roll it all back."""
    from django.conf import settings

    limits = {
        name: getattr(settings, name)
        for name in ("RATE_LIMIT_SEARCH", "RATE_LIMIT_SUGGEST", "RATE_LIMIT_POSTS")
    }
    for name in limits:
        setattr(settings, name, (10**6, 60))
    result = Crawl()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            cache.clear()
            newsroom = build_newsroom()
            urls, result.missing = _starting_urls(newsroom)
            urls.insert(0, "http://testserver/")
            result.open_url = f"http://testserver{newsroom['open'].url}"
            reader = Client()
            secrets = _secrets(newsroom)
            queue = deque()
            for url in urls:
                _enqueue(url, result, queue)
            while queue and result.pages < PAGE_LIMIT:
                _visit(reader, queue.popleft(), result, secrets, queue)
            result.queue_left = len(queue)
            transaction.set_rollback(True)
    finally:
        cache.clear()
        for name, value in limits.items():
            setattr(settings, name, value)
    return result


def _leaks(crawl):
    return dict(crawl.leaks)


def _report(leaks):
    """One line per route: what it showed, and an address that showed it."""
    lines = []
    for key, found in sorted(leaks.items()):
        labels = ", ".join(sorted({label for label, _ in found}))
        lines.append(f"{key}: {labels} (e.g. {found[0][1]})")
    return "hidden articles shown by:\n" + "\n".join(lines)


def test_every_public_route_is_crawled_or_excused(crawl):
    """Every route of the URLconf is visited or has a written reason not to be."""
    assert crawl.missing == [], "give these routes parameter values or a reason"
    keys = {route.key for route in public_routes()}
    assert keys - crawl.visited - set(EXCUSED) == set()


def test_the_crawl_reached_the_whole_newsroom(crawl):
    """The crawl saw articles, searches and feeds, not just the front page."""
    assert crawl.queue_left == 0, "raise PAGE_LIMIT: the crawl stopped early"
    assert crawl.pages > 150
    assert crawl.open_url in crawl.urls
    assert crawl.statuses[crawl.open_url] == 200


def test_no_public_route_shows_a_hidden_article(crawl):
    """Drafts, private, password-protected, unpublished articles and a private
    section appear nowhere: not by headline, slug, id, tag or comment."""
    leaks = _leaks(crawl)
    assert not leaks, _report(leaks)
