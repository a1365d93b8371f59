"""The header and footer are rendered once per process for each variant, and a
kept copy shows what a fresh render would: the current section, the reader's
search words, the language, and every change to the site's chrome."""

import pytest
from bs4 import BeautifulSoup
from django.template import engines
from django.utils import translation
from wagtail.models import Site

from byline.core.models import SiteSettings, StandardPage


@pytest.fixture
def fetched(monkeypatch):
    """Names of the templates Jinja2 is asked for, in order."""
    environment = engines["jinja2"].env
    names = []
    original = environment.get_template

    def get_template(name, *args, **kwargs):
        names.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(environment, "get_template", get_template)
    return names


def _current(client, url, **headers):
    page = BeautifulSoup(client.get(url, **headers).content, "html.parser")
    return [a.get_text() for a in page.select(".section-nav a[aria-current=page]")]


def test_the_header_and_footer_are_rendered_once_for_pages_alike(
    client, make_article, uncached, fetched
):
    """Three articles of one section: one render of the header and footer."""
    articles = [make_article() for _ in range(4)]
    # The first views make the site's settings rows (a change to the chrome).
    client.get(articles.pop().url)
    fetched.clear()
    for article in articles:
        assert article.title in client.get(article.url).content.decode()
    assert fetched.count("chrome/header.html") == 1
    assert fetched.count("chrome/footer.html") == 1


def test_each_page_marks_its_own_section(
    client, section, other_section, make_article, uncached
):
    in_world = make_article()
    in_business = make_article(parent=other_section)
    for _ in range(2):  # rendered, then kept
        assert _current(client, "/") == ["Home"]
        assert _current(client, in_world.url) == ["World"]
        assert _current(client, in_business.url) == ["Business"]
        assert _current(client, other_section.url) == ["Business"]


def test_a_readers_search_words_are_never_shared(client, published_article, uncached):
    for words in ("putin", "xi jinping"):
        page = BeautifulSoup(
            client.get("/search/", {"q": words}).content, "html.parser"
        )
        assert page.select_one("#site-search")["value"] == words
    page = BeautifulSoup(client.get("/search/").content, "html.parser")
    assert page.select_one("#site-search")["value"] == ""


def test_a_change_to_the_chrome_shows_on_the_next_page(
    client, published_article, other_section, uncached
):
    client.get("/")
    site = Site.objects.get(is_default_site=True)
    site_settings = SiteSettings.for_site(site)
    site_settings.tagline = "Checked before printed"
    site_settings.save()
    other_section.title = "Money"
    other_section.save_revision().publish()
    html = client.get(published_article.url).content.decode()
    assert "Checked before printed" in html
    assert ">Money</a>" in html


def test_the_footer_leaves_out_the_signup_on_a_page_that_shows_it(
    client, home, published_article, uncached
):
    about = home.add_child(
        instance=StandardPage(
            title="About us", slug="about", show_newsletter_signup=True
        )
    )
    about.save_revision().publish()
    for _ in range(2):
        footer = BeautifulSoup(client.get(about.url).content, "html.parser").footer
        assert footer.select_one(".newsletter-form") is None
        footer = BeautifulSoup(
            client.get(published_article.url).content, "html.parser"
        ).footer
        assert footer.select_one(".newsletter-form") is not None


def test_each_language_has_its_own_copy(client, published_article, uncached):
    shown = []
    for language in ("fr", "en-gb", "fr"):
        with translation.override(language):
            shown += _current(client, "/")
    assert shown == ["Accueil", "Home", "Accueil"]
