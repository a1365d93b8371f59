"""L5: tracking parameters never reach the links of a cached page.

`utm_*`, `fbclid`, `ref…` are ignored by the page cache's key, so the first
reader's link decided the canonical and pagination links every later reader
of a tag or author page got. Those links are now built from the path and the
kept parameters only, and the view sees no other parameter (pagecache
middleware).
"""

import pytest
from bs4 import BeautifulSoup

TRACKING = "utm_source=newsletter&utm_campaign=leak&fbclid=abc&ref=x"


@pytest.fixture
def listed(make_article, settings):
    settings.NEWS_PAGE_SIZE = 1
    for title in ("First of three", "Second of three", "Third of three"):
        make_article(title, tags=["Russia"])


def _links(response):
    soup = BeautifulSoup(response.content, "html.parser")
    canonical = soup.find("link", rel="canonical")["href"]
    pages = [a["href"] for a in soup.select("nav.pagination a")]
    return canonical, pages


@pytest.mark.parametrize("path", ["/tags/russia/", "/authors/ada-reporter/"])
def test_tracking_parameters_do_not_poison_canonical_or_pagination_links(
    client, listed, path
):
    """Attack: a first visit with utm_/fbclid/ref parameters writes them into
    the canonical and page links that every later reader is served."""
    first = client.get(f"{path}?page=2&{TRACKING}")
    assert first.status_code == 200
    for response in (first, client.get(f"{path}?page=2")):
        canonical, pages = _links(response)
        assert pages, "the listing has more than one page"
        for link in [canonical, *pages]:
            for name in ("utm_", "fbclid", "ref="):
                assert name not in link, (name, link)
        assert canonical.endswith(f"{path}?page=2")
        assert sorted(pages) == ["?page=1", "?page=3"]
    assert client.get(f"{path}?page=2")["X-Page-Cache"] == "hit"


def test_the_first_page_is_canonical_without_a_page_number(client, listed):
    """The canonical link of page 1 is the listing's own address."""
    canonical, _ = _links(client.get(f"/tags/russia/?page=1&{TRACKING}"))
    assert canonical.endswith("/tags/russia/")
