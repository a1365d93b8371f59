"""The header and footer learn the page types of the apps above core through hooks."""

from wagtail.models import Site

from byline.core.chrome import (
    NAV_PAGE_TYPES,
    PAGES_OUTSIDE_CHROME,
    build_chrome,
    page_types,
)
from byline.news.models import ArticlePage, SectionPage


def test_news_names_sections_for_the_header_and_articles_as_outside_it():
    """news registers its sections as navigation and its articles as outside
    the chrome; core itself names no page type of an app above it."""
    assert page_types(NAV_PAGE_TYPES) == (SectionPage,)
    assert page_types(PAGES_OUTSIDE_CHROME) == (ArticlePage,)


def test_the_header_lists_the_sections_shown_in_menus(section, other_section):
    """Sections shown in menus are the header's navigation, in tree order."""
    other_section.show_in_menus = False
    other_section.save_revision().publish()
    chrome = build_chrome(Site.objects.get(is_default_site=True))
    assert [item["title"] for item in chrome["nav"]] == [section.title]
