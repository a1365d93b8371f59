"""With LANGUAGE_CODE=ar the reader pages read right to left, mirrored: the
masthead, the navigation, the comment threads and the boxes start on the right
(issue 19, item 33). Screenshots at phone and desktop size, in both colour
schemes, are written to e2e/screenshots/rtl-*.png."""

import pytest

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
ARTICLE = "/world/putin-xi-state-visit-beijing/"

BOXES = """() => {
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element) return null;
    const r = element.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top};
  };
  const nav = [...document.querySelectorAll(".section-nav li")].slice(0, 2)
    .map((li) => li.getBoundingClientRect().left);
  return {
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
    brand: box(".brand"),
    search: box(".site-header .search-form"),
    main: box("main"),
    nav,
    overflow: document.scrollingElement.scrollWidth - window.innerWidth,
  };
}"""


def _open(browser, url, viewport, scheme="light"):
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    page.goto(url)
    return page


def test_desktop_masthead_and_navigation_start_on_the_right(browser, arabic_site_url):
    """The site's name is on the right and the search box on its left; the
    navigation's first item ("Home") is its rightmost."""
    page = _open(browser, arabic_site_url + "/", DESKTOP)
    found = page.evaluate(BOXES)
    page.close()
    assert (found["lang"], found["dir"]) == ("ar", "rtl")
    assert found["brand"]["left"] > found["search"]["right"], found
    first, second = found["nav"]
    assert first > second, found
    assert found["overflow"] <= 0


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/", ARTICLE, "/search/?q=nato", "/newsletter/"])
def test_no_page_is_wider_than_the_screen(browser, arabic_site_url, path, viewport):
    """Nothing pushed off the left edge (a right-to-left page scrolls that way)."""
    page = _open(browser, arabic_site_url + path, viewport)
    direction = page.evaluate("document.documentElement.dir")
    overflow = page.evaluate("document.scrollingElement.scrollWidth - innerWidth")
    page.close()
    assert direction == "rtl"
    assert overflow <= 0, f"{path}: {overflow}px wider than the screen"


def test_article_chrome_is_mirrored(browser, arabic_site_url):
    """Replies are indented from the right, the trust box's rule is on its
    right, and the kicker starts at the column's right edge; the article's
    own English text keeps its direction (its `dir`)."""
    page = _open(browser, arabic_site_url + ARTICLE, DESKTOP)
    found = page.evaluate(
        """() => {
          const style = (s) => getComputedStyle(document.querySelector(s));
          const right = (s) => document.querySelector(s).getBoundingClientRect().right;
          const replies = document.querySelector(".replies");
          return {
            replies: replies && [getComputedStyle(replies).marginRight,
                                 getComputedStyle(replies).marginLeft],
            trust: [style(".trust-box").borderRightWidth,
                    style(".trust-box").borderLeftWidth],
            kicker: right(".article-header .kicker > *:first-child"),
            column: right(".article-header"),
            body: document.querySelector(".article-body").dir,
            comments: style("#comments").direction,
          };
        }"""
    )
    page.close()
    assert found["replies"] is not None, "the demo article has replies"
    assert found["replies"][0] != "0px" and found["replies"][1] == "0px", found
    assert found["trust"] == ["4px", "1px"], found
    assert abs(found["kicker"] - found["column"]) < 2, found
    assert found["body"] == "ltr" and found["comments"] == "rtl"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_screenshots(browser, arabic_site_url, screenshot_dir, viewport, scheme):
    """Home and article pages, right to left, for a person to look at."""
    size = "phone" if viewport is PHONE else "desktop"
    for name, path in (("home", "/"), ("article", ARTICLE)):
        page = _open(browser, arabic_site_url + path, viewport, scheme)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.screenshot(
            path=screenshot_dir / f"rtl-{name}-{size}-{scheme}.png", full_page=True
        )
        page.close()
