"""Reader pages laid out for phones and desktops: room under the navigation, a
front page without half-empty rows, nothing wider than the screen."""

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTICLE = "/world/putin-xi-state-visit-beijing/"
LISTINGS = [
    ARTICLE,
    "/world/",
    "/authors/mara-ellison/",
    "/search/?q=nato",
    "/tags/russia/",
]

# Top of the first thing drawn in <main>, less the bottom of the site header.
GAP_UNDER_HEADER = """() => {
  const header = document.querySelector(".site-header").getBoundingClientRect();
  let top = Infinity;
  for (const el of document.querySelectorAll("main *")) {
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    top = Math.min(top, box.top);
  }
  return top - header.bottom;
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", LISTINGS)
def test_first_element_does_not_touch_the_navigation(browser, site_url, path, viewport):
    """Article, section, author, search and tag pages start a clear space
    below the navigation's rule."""
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + path)
    gap = page.evaluate(GAP_UNDER_HEADER)
    page.close()
    assert gap >= 16, f"{path}: {gap}px under the navigation"


def test_desktop_front_page_has_no_half_empty_rows(browser, site_url, screenshot_dir):
    """Each section block fills the width it is given (two sections side by
    side), instead of two cards in a grid of four."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/")
    blocks = page.evaluate(
        """() => [...document.querySelectorAll(".front-section")].map(section => {
          const box = section.getBoundingClientRect();
          const cards = [...section.querySelectorAll(".card")]
            .map(c => c.getBoundingClientRect());
          const right = Math.max(...cards.map(c => c.right));
          const left = Math.min(...cards.map(c => c.left));
          return {width: box.width, filled: right - left};
        })"""
    )
    page.screenshot(path=screenshot_dir / "home-1280.png", full_page=True)
    page.close()
    assert len(blocks) >= 4
    for block in blocks:
        assert block["filled"] >= 0.95 * block["width"], block


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_front_page_lists_secondary_stories_as_compact_rows(
    browser, site_url, scheme, screenshot_dir
):
    """On a 390 px phone only the top story is large; the other stories are
    compact rows, so the demo's 13 stories fit in well under 4,000 px."""
    page = browser.new_page(viewport=PHONE, color_scheme=scheme)
    page.goto(site_url + "/")
    heights = page.evaluate(
        """() => [...document.querySelectorAll("main .card:not(.card-lead)")]
                 .map(card => card.getBoundingClientRect().height)"""
    )
    total = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=screenshot_dir / f"home-390-{scheme}.png", full_page=True)
    page.close()
    assert len(heights) >= 12
    assert max(heights) <= 170, heights
    assert total < 4000, total


def test_section_navigation_shows_every_section_on_a_phone(browser, site_url):
    """On a 390 px phone every section's name is wholly on screen (the list
    wraps rather than cutting off the last one)."""
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + "/")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll(".section-nav a")].map(a => {
          const box = a.getBoundingClientRect();
          return {name: a.textContent, left: box.left, right: box.right};
        })"""
    )
    width = page.evaluate("document.documentElement.clientWidth")
    page.close()
    assert [b["name"] for b in boxes][-1] == "Culture"
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= width, box


@pytest.mark.parametrize(
    "path",
    [
        "/",
        *LISTINGS,
        ARTICLE + "provenance/",
        "/corrections/log/",
        "/newsletter/",
        "/about/",
    ],
)
def test_no_page_is_wider_than_a_phone(browser, site_url, path):
    """No reader page scrolls sideways on a 390 px phone (the versions page's
    `python verify_article.py …` line used to make it 855 px wide)."""
    page = browser.new_page(viewport=PHONE)
    page.goto(site_url + path)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.close()
    assert width <= PHONE["width"], f"{path} is {width}px wide"
