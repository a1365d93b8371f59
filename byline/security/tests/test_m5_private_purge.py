"""M5: an article made private leaves nginx (and the app's page cache) at once.

The review made a cached article private: only the site-wide addresses were
purged, so nginx kept serving the whole article for s-maxage plus its stale
periods (a day while the app errs). A view restriction added, changed or
removed now purges the page, everything below it and every listing that showed
them (byline/pagecache/invalidation.py, `restriction`), and nginx keeps only
addresses a purge can name.
"""

import pytest
from bs4 import BeautifulSoup

live = pytest.mark.django_db(transaction=True, serialized_rollback=True)
SECRET_LINE = "only subscribers may read this line"


def _kept_by_nginx(proxy, path):
    """Fetch until nginx serves the page from its cache."""
    for _ in range(3):
        status, headers, body = proxy.get(path)
        assert status == 200, (path, status)
        if headers.get("X-Proxy-Cache") == "HIT":
            return body
    raise AssertionError(f"nginx never kept {path}")


def _listings(article):
    return [
        "/",
        article.get_parent().url,
        "/tags/russia/",
        "/authors/ada-reporter/",
        "/feed/",
        f"/{article.get_parent().slug}/feed/",
    ]


@pytest.fixture
def secret_article(make_article):
    # Another public article keeps the section, tag and author pages alive.
    make_article("Markets shrug off the summit", tags=["Russia"])
    return make_article(
        "Putin and Xi meet in Beijing",
        tags=["Russia"],
        body=f"<p>The visit was announced late.</p><p>{SECRET_LINE}</p>",
    )


@live
@pytest.mark.parametrize("kind", ["login", "password"])
def test_an_article_made_private_is_not_served_from_nginx(
    proxied_site, secret_article, kind
):
    """Attack: read an article made private from the proxy's cache, at its
    address, in its listings and through utm links."""
    from wagtail.models import PageViewRestriction

    article = secret_article
    assert SECRET_LINE in _kept_by_nginx(proxied_site, article.url)
    assert article.title in _kept_by_nginx(
        proxied_site, article.url + "provenance.json"
    )
    for path in _listings(article):
        assert article.title in _kept_by_nginx(proxied_site, path), path

    PageViewRestriction.objects.create(
        page=article,
        restriction_type=getattr(PageViewRestriction, kind.upper()),
        password="letmein" if kind == "password" else "",
    )

    for path in [
        article.url,
        article.url + "?utm_source=newsletter",
        article.url + "?sort=votes",
    ]:
        status, _, body = proxied_site.get(path)
        assert SECRET_LINE not in body, path
        assert status in (200, 302), (path, status)  # a password form, or sign-in
    for path in _listings(article):
        status, _, body = proxied_site.get(path)
        assert status == 200 and article.title not in body, path
    assert article.title not in proxied_site.get(article.url + "provenance.json")[2]


@live
def test_a_whole_section_made_private_leaves_nginx_with_its_articles(
    proxied_site, secret_article
):
    """Attack: a section restricted to staff keeps serving its articles."""
    from wagtail.models import PageViewRestriction

    section = secret_article.get_parent()
    assert SECRET_LINE in _kept_by_nginx(proxied_site, secret_article.url)
    _kept_by_nginx(proxied_site, section.url)
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    assert SECRET_LINE not in proxied_site.get(secret_article.url)[2]
    assert secret_article.title not in proxied_site.get(section.url)[2]
    assert secret_article.title not in proxied_site.get("/")[2]


@live
def test_an_article_made_public_again_is_listed_at_once(proxied_site, secret_article):
    """Removing a restriction purges too: listings show the article again."""
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=secret_article, restriction_type=PageViewRestriction.LOGIN
    )
    home = _kept_by_nginx(proxied_site, "/")
    assert secret_article.title not in home
    restriction.delete()
    soup = BeautifulSoup(proxied_site.get("/")[2], "html.parser")
    assert secret_article.title in soup.get_text()
    assert SECRET_LINE in proxied_site.get(secret_article.url)[2]
