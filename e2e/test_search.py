"""A reader searching the demo newsroom (issue 19, items 10 to 14)."""

import re

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [PHONE, DESKTOP], ids=["phone", "desktop"]
)


def test_escape_closes_the_suggestions_and_keeps_the_query(browser, site_url):
    """Item 10: Escape only closes the list; what was typed stays in the box."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/")
    box = page.get_by_role("combobox", name="Search articles")
    box.press_sequentially("Putin sta", delay=40)
    page.get_by_role("option").first.wait_for(state="visible")
    box.press("Escape")
    assert page.locator("#search-suggestions").is_hidden()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "Putin sta"
    box.press("Enter")  # and the query still searches
    page.wait_for_url(re.compile(r"/search/\?q=Putin\+sta"))
    page.close()


@VIEWPORTS
def test_an_authors_name_finds_the_author(browser, site_url, viewport, screenshot_dir):
    """Item 11: 'Mara Ellison' offers her author page above the articles."""
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + "/search/?q=Mara+Ellison")
    box = page.locator(".search-topics")
    link = box.get_by_role("link", name="Mara Ellison")
    assert link.is_visible()
    page.screenshot(
        path=screenshot_dir / f"search-author-{viewport['width']}.png", full_page=True
    )
    link.click()
    page.wait_for_url("**/authors/mara-ellison/")
    page.close()


def test_olimpics_is_corrected_two_edits_away(browser, site_url):
    """Item 12: 'Olimpics' is searched as 'Olympic' and finds the Paris Games."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/search/?q=Olimpics")
    notice = page.locator(".search-correction")
    assert notice.inner_text().startswith("Showing results for Olympic")
    results = page.locator(".search-results .result h2").all_inner_texts()
    assert "Paris opens its Games on the river, in the rain" in results
    page.close()


@VIEWPORTS
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_search_that_finds_nothing_is_no_dead_end(
    browser, site_url, viewport, scheme, screenshot_dir
):
    """Item 13: tips and the latest stories, one click from reading on."""
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    page.goto(site_url + "/search/?q=qwxzzy")
    help_box = page.locator(".search-help")
    assert help_box.is_visible()
    assert help_box.locator(".search-tips li").count() >= 3
    stories = help_box.locator(".search-latest h3 a")
    assert stories.count() == 5
    page.screenshot(
        path=screenshot_dir / f"search-empty-{viewport['width']}-{scheme}.png",
        full_page=True,
    )
    headline = stories.first.inner_text()
    with page.expect_navigation():
        stories.first.click()
    assert page.locator("h1").inner_text() == headline
    page.close()


def test_a_corrected_search_offers_the_words_as_typed(browser, site_url):
    """Item 14: 'Showing results for Putin', and a link to search 'Pution' exactly."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/search/?q=Pution")
    notice = page.locator(".search-correction")
    assert notice.inner_text().startswith("Showing results for Putin")
    assert "Pution" not in page.locator(".search-summary").inner_text()
    notice.get_by_role("link", name="Pution").click()
    page.wait_for_url(re.compile(r"exact=1"))
    assert "0 results for “Pution”" in page.locator(".search-summary").inner_text()
    assert page.locator(".did-you-mean").get_by_role("link").inner_text() == "Putin"
    page.close()
