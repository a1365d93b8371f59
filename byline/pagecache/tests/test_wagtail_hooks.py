"""Pages are tagged for the cache by pagecache's Wagtail hook, not by their models."""

from bs4 import BeautifulSoup
from wagtail import hooks
from wagtail.models import PageViewRestriction

from byline.core import cachetags as cache_tags
from byline.core.models import StandardPage
from byline.pagecache.wagtail_hooks import tag_served_pages


def fetch_twice(client, url):
    client.get(url)
    return client.get(url)


def test_the_tagging_hook_wraps_page_serve_inside_wagtails_own_checks():
    """The tagging wrapper is the innermost on_serve_page hook, so Wagtail's view
    restriction check runs before any page is declared cacheable."""
    assert hooks.get_hooks("on_serve_page")[-1] is tag_served_pages


def test_a_password_protected_article_is_never_kept(client, published_article):
    """A password form served in a page's place is not kept for other readers."""
    PageViewRestriction.objects.create(
        page=published_article,
        restriction_type=PageViewRestriction.PASSWORD,
        password="secret",
    )
    response = fetch_twice(client, published_article.url)
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").find(
        "input", attrs={"name": "password"}
    )
    assert response.get("X-Page-Cache") != "hit"
    assert "public" not in response.get("Cache-Control", "")


def test_home_section_article_and_standard_pages_are_kept_until_their_tag_changes(
    client, home, section, published_article
):
    """Each page type carries its own tags: bumping one drops that page."""
    about_page = StandardPage(title="About", slug="about")
    home.add_child(instance=about_page)
    tags_of = {
        home.url: cache_tags.home_list(),
        section.url: cache_tags.section_list(section.pk),
        published_article.url: cache_tags.page(published_article.pk),
        about_page.url: cache_tags.page(about_page.pk),
    }
    for url, tag in tags_of.items():
        for _ in range(3):  # a site's first request may create its settings rows
            if client.get(url).get("X-Page-Cache") == "hit":
                break
        assert client.get(url)["X-Page-Cache"] == "hit", url
        cache_tags.bump([tag])
        assert client.get(url)["X-Page-Cache"] == "miss", url
