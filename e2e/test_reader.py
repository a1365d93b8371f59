"""A reader on a phone and on a desktop opens the home page and reads an article."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_reader_opens_home_then_article(browser, site_url, viewport, screenshot_dir):
    """Headline, standfirst, byline and dates are visible after clicking a story."""
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + "/")
    lead = page.locator(".front-top .card-headline a")
    assert lead.is_visible()
    headline = lead.inner_text()
    with page.expect_navigation():
        lead.click()
    assert page.locator("h1").inner_text() == headline
    for selector in [".standfirst", ".byline", ".dates time", ".article-body h2"]:
        assert page.locator(selector).first.is_visible(), selector
    page.screenshot(
        path=screenshot_dir / f"article-{viewport['width']}.png", full_page=True
    )
    page.close()


def test_search_box_in_header_leads_to_results(browser, site_url):
    """Typing in the header's search box and pressing Enter lists matching articles."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/")
    page.get_by_label("Search articles").fill("Nobel")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=Nobel")
    assert "Han Kang" in page.locator("main").inner_text()
    page.close()


def test_keyboard_user_can_skip_to_content(browser, site_url):
    """The first Tab reaches a visible 'Skip to main content' link."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        PUTIN_ARTICLE,
        "/world/",
        "/authors/mara-ellison/",
        PUTIN_ARTICLE + "provenance/",
        "/corrections/log/",
        "/newsletter/",
    ],
)
def test_no_serious_accessibility_violations(browser, site_url, path, scheme):
    """axe-core finds no serious or critical violation, in light and dark schemes."""
    page = browser.new_page(viewport=DESKTOP, color_scheme=scheme)
    page.goto(site_url + path)
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        f"{[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    page.close()
    assert bad == []


def test_header_suggestions_lead_to_an_article(browser, site_url):
    """Typing in the header box offers headlines; arrow down and Enter open one."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + "/")
    box = page.get_by_role("combobox", name="Search articles")
    box.press_sequentially("Putin sta", delay=40)
    option = page.get_by_role("option").first
    option.wait_for(state="visible")
    assert "Putin" in option.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**" + PUTIN_ARTICLE)
    assert "Putin" in page.locator("h1").inner_text()
    page.close()


@pytest.mark.parametrize("path", ["/", PUTIN_ARTICLE, "/search/?q=putin"])
def test_pages_break_no_rule_of_their_content_security_policy(browser, site_url, path):
    """Every script and style the page uses is allowed by its own CSP."""
    page = browser.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    response = page.goto(site_url + path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations == []
    page.close()
