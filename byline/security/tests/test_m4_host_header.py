"""M4: a forged Host header must not reach any address a reader is served.

The review sent `Host: localhost:6666` through the shipped nginx file: nginx
kept pages under the host without its port, while Django wrote the port into
robots.txt, og:image, author URLs and provenance JSON, so every later reader got
links to the attacker's port. Now every absolute address comes from the
configured site (byline/core/addresses.py), and nginx passes a fixed Host, keys
on it and refuses other names.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
# Tests behind nginx use a live server, which reads the database from another
# thread: they commit, and restore the rows migrations made when they are done.
live = pytest.mark.django_db(transaction=True, serialized_rollback=True)
HOSTILE = "evil.example:6666"
LIMIT = 150


def _links(response, url):
    body = response.content.decode(errors="replace")
    kind = response.get("Content-Type", "")
    if "html" in kind:
        soup = BeautifulSoup(body, "html.parser")
        found = [tag.get("href") for tag in soup.find_all(["a", "link"])]
    elif "xml" in kind:
        found = re.findall(r"<(?:loc|link|guid)[^>]*>([^<]+)</", body)
    elif "json" in kind:
        found = re.findall(r'"(https?://[^"]+)"', body)
    else:
        found = re.findall(r"https?://\S+", body)
    return [urljoin(url, href) for href in found if href]


def _crawl(reader, start, host, own_netlocs):
    """Every public response reachable from `start`, fetched with `host` as
    the Host header: yields (url, response)."""
    queue, seen = deque(start), set(start)
    while queue and len(seen) < LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        response = reader.get(
            parts.path, query_params=_pairs(parts.query), headers={"host": host}
        )
        yield url, response
        if response.streaming or response.status_code != 200:
            continue
        for link in _links(response, url):
            target = urlsplit(link)
            if target.netloc and target.netloc not in own_netlocs:
                continue
            local = target.path + (f"?{target.query}" if target.query else "")
            if target.path.startswith(
                ("/static/", "/media/", "/admin", "/django-admin")
            ):
                continue
            if local not in seen:
                seen.add(local)
                queue.append(local)


def _pairs(query):
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query, keep_blank_values=True))


@pytest.mark.parametrize(
    "host", [HOSTILE, "127.0.0.1:6666"], ids=["any-host", "allowed-name-other-port"]
)
def test_a_forged_host_appears_in_no_public_response(
    settings, pictured_article, home, host
):
    """Attack: a Host of the attacker's choosing (ALLOWED_HOSTS checks names,
    not ports) written into pages, feeds, sitemaps, robots.txt, JSON-LD, the API
    or provenance JSON, which caches then serve to everyone."""
    from wagtail.models import Site

    settings.ALLOWED_HOSTS = ["*"] if host == HOSTILE else ["127.0.0.1"]
    settings.RATE_LIMIT_SEARCH = settings.RATE_LIMIT_SUGGEST = (10**6, 60)
    site = Site.objects.get(is_default_site=True)
    own = {"", urlsplit(site.root_url).netloc}
    article = pictured_article.url
    start = [
        "/",
        article,
        f"{article}provenance.json",
        f"{article}provenance/",
        "/robots.txt",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/feed/atom/",
        "/tags/russia/?utm_source=x&page=1",
        "/authors/ada-reporter/feed/atom/",
        "/provenance/log.json?from=1&limit=1",
        "/.well-known/jwks.json",
        "/api/v2/",
        "/api/v2/openapi.json",
        f"/api/v2/articles/{pictured_article.pk}/",
        "/search/?q=Putin&format=json",
        "/search/suggest/?q=Put",
        "/corrections/log/feed/",
    ]
    reader = Client()
    forged = urlsplit(f"//{host}").hostname
    fetched = 0
    for url, response in _crawl(reader, start, host, own):
        fetched += 1
        assert response.status_code < 500, url
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        ).decode(errors="replace")
        assert host not in body, url
        assert ":6666" not in body, url
        assert forged == "127.0.0.1" or forged not in body, url
        assert ":6666" not in response.get("Location", ""), url
    assert fetched > 25, fetched


def test_absolute_addresses_follow_the_configured_site(client, pictured_article):
    """The site's own address (Wagtail's default site) is what pages link to."""
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "news.example.org", 443
    site.save()
    page = client.get(pictured_article.url, headers={"host": "localhost:6666"})
    soup = BeautifulSoup(page.content, "html.parser")
    root = "https://news.example.org/"
    assert soup.find("link", rel="canonical")["href"].startswith(root)
    assert soup.find("meta", property="og:image")["content"].startswith(root)
    robots = client.get("/robots.txt", headers={"host": "localhost:6666"})
    assert f"Sitemap: {root}sitemap.xml" in robots.content.decode()


# Where reading the request's own address is right: the page cache's key (which
# site is asked for), the CSRF origin check (where the request came from), and
# the WSGI fast path that must compute the same key. Everything else builds
# absolute addresses with byline.core.addresses.
REQUEST_ADDRESS_ALLOWED = {
    "byline/core/addresses.py",
    "byline/pagecache/csrf.py",
    "byline/pagecache/middleware.py",
    "byline/pagecache/wsgi.py",
    # Which Wagtail site is asked for (as the page cache's key), and the kept
    # search pages' key (the same reason).
    "byline/core/sites.py",
    "byline/search/cache.py",
    # The kept parts of article pages: their key names the site asked for, as
    # the page cache's does.
    "byline/core/fragments.py",
    # Sets the configured site's own address on in-process warm-up requests.
    "byline/news/warmup.py",
    # Check that a `next` address stays on this host; they build none.
    "byline/twofactor/views.py",
    "byline/comments/admin_views.py",
}
REQUEST_ADDRESS = re.compile(
    r"build_absolute_uri|get_host\b|request\.scheme|HTTP_HOST|get_current_site"
    r"|RequestSite"
)


def test_no_code_builds_an_address_from_the_request():
    """Class: no view, template or feed reads the request's Host or scheme to
    build an address (a new one would bring M4 back)."""
    offenders = []
    for path in sorted((ROOT / "byline").rglob("*")):
        relative = path.relative_to(ROOT).as_posix()
        if (
            path.suffix not in {".py", ".html", ".txt", ".xml"}
            or "/tests/" in relative
            or relative in REQUEST_ADDRESS_ALLOWED
        ):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if REQUEST_ADDRESS.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@live
def test_a_forged_host_through_nginx_poisons_nothing(proxied_site, pictured_article):
    """Attack (the review's): `Host: 127.0.0.1:6666`, a name nginx serves on
    another port, fills the proxy's cache; the next reader gets its links."""
    article = pictured_article.url
    paths = [
        "/robots.txt",
        article,
        f"{article}provenance.json",
        "/authors/ada-reporter/",
        "/tags/russia/",
        "/sitemap.xml",
        "/feed/",
        "/.well-known/jwks.json",
    ]
    forged = {path: proxied_site.get(path, host="127.0.0.1:6666") for path in paths}
    for path in paths:
        status, headers, body = proxied_site.get(path)
        assert status == 200, path
        assert ":6666" not in body, path  # what every later reader is served
        assert ":6666" not in forged[path][2], path
    status, headers, body = proxied_site.get(article)
    assert headers["X-Proxy-Cache"] == "HIT"
    soup = BeautifulSoup(body, "html.parser")
    site = f"http://{proxied_site.host}/"
    assert soup.find("link", rel="canonical")["href"].startswith(site)
    assert soup.find("meta", property="og:image")["content"].startswith(site)
    assert f"Sitemap: {site}sitemap.xml" in proxied_site.get("/robots.txt")[2]


@live
def test_nginx_refuses_host_names_that_are_not_the_site(proxied_site):
    """Attack: any other Host (or none) gets no answer at all from nginx."""
    assert proxied_site.get("/", host="evil.example") is None
    assert proxied_site.get("/", host="localhost:6666") is None
    assert proxied_site.get("/")[0] == 200
