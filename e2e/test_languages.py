"""An Arabic story on the demo site reads right to left, and its tag link works
(issue 19, item 32)."""

import json
import re
from urllib.parse import unquote

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LOAD = """
import json
from byline.news.demo.world import load_world_newsroom
from byline.news.site_setup import ensure_home_page
articles = load_world_newsroom(ensure_home_page())
print(json.dumps({key: article.url for key, article in articles.items()}))
"""


UNLOAD = """
from wagtail.models import Page
from byline.news.demo.world import STORIES
from byline.news.site_setup import ensure_home_page
home = ensure_home_page()
for section in Page.objects.child_of(home).filter(title__in={s[1] for s in STORIES}):
    for page in section.get_descendants(inclusive=True).live().specific():
        page.unpublish()
    section.delete()
"""


@pytest.fixture
def world_urls(site_shell):
    """The five-language stories on the shared e2e site, for this test only:
    their sections would otherwise crowd every later test's front page and
    navigation."""
    yield json.loads(site_shell(LOAD).strip().splitlines()[-1])
    site_shell(UNLOAD)


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(PHONE, "light"), (PHONE, "dark"), (DESKTOP, "light"), (DESKTOP, "dark")],
    ids=["phone-light", "phone-dark", "desktop-light", "desktop-dark"],
)
def test_arabic_article_reads_right_to_left_and_its_tag_link_works(
    browser, site_url, world_urls, viewport, scheme, screenshot_dir
):
    """The story's text is dir=rtl, its headline ends at the right edge of the
    column, nothing overflows the page, and the tag link opens the tag page."""
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    page = context.new_page()
    response = page.goto(site_url + world_urls["ar"])
    assert response.status == 200
    article = page.locator("article.article")
    for part in ("h1", ".standfirst", ".article-body"):
        text = article.locator(part)
        assert text.get_attribute("dir") == "rtl"
        assert text.evaluate("el => getComputedStyle(el).direction") == "rtl"
    # The site's own English labels (dates, reading time) stay left to right.
    dates = article.locator(".dates")
    assert dates.evaluate("el => getComputedStyle(el).direction") == "ltr"
    headline = page.get_by_role("heading", level=1)
    assert headline.inner_text() == "معرض القاهرة للكتاب يستقبل الزوار"
    column = article.bounding_box()
    text = headline.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " const b = r.getBoundingClientRect(); return {left: b.left, right: b.right}; }"
    )
    # Right-aligned: the text hugs the column's right edge, not its left.
    assert abs(text["right"] - (column["x"] + column["width"])) < 24
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    page.screenshot(
        path=screenshot_dir / f"article-arabic-{viewport['width']}-{scheme}.png",
        full_page=True,
    )
    tag = page.locator(".tag-list a", has_text="القاهرة")
    tag.click()
    page.wait_for_url(re.compile(r"/tags/"))
    assert unquote(page.url).endswith("/tags/القاهرة/")
    assert (
        page.get_by_role("heading", level=1).inner_text().strip().endswith("القاهرة")
        or "القاهرة" in page.get_by_role("heading", level=1).inner_text()
    )
    assert page.get_by_role("link", name="معرض القاهرة للكتاب يستقبل الزوار")
    context.close()
