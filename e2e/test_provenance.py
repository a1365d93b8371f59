"""The "Verified" mark is earned in the reader's browser, with WebCrypto Ed25519."""

import subprocess
import sys

from byline.provenance.tool import TOOL_PATH

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
DESKTOP = {"width": 1280, "height": 900}


def test_the_browser_verifies_the_signed_article(browser, site_url, screenshot_dir):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    mark = page.locator("[data-provenance-mark][data-verified]")
    mark.wait_for(timeout=10_000)
    assert mark.get_attribute("data-verified") == "browser"
    assert "Verified in your browser" in mark.inner_text()
    assert "2 signed versions" in mark.inner_text()
    page.screenshot(path=screenshot_dir / "provenance-mark.png")
    page.close()


def test_a_page_altered_on_the_way_is_not_verified(browser, site_url):
    """A proxy that changes one word of the article cannot keep the mark."""
    page = browser.new_page(viewport=DESKTOP)

    def alter(route):
        response = route.fetch()
        body = response.text().replace("16 and 17 May", "15 and 16 May")
        route.fulfill(response=response, body=body)

    page.route(site_url + PUTIN_ARTICLE, alter)
    page.goto(site_url + PUTIN_ARTICLE)
    mark = page.locator("[data-provenance-mark][data-verified]")
    mark.wait_for(timeout=10_000)
    assert mark.get_attribute("data-verified") == "failed"
    assert "not the text that was signed" in mark.inner_text()
    page.close()


def test_the_reader_follows_the_mark_to_every_version(
    browser, site_url, screenshot_dir
):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    page.get_by_role("link", name="see the record").click()
    page.wait_for_url("**/provenance/")
    text = page.locator("main").inner_text()
    assert "every signature is valid" in text
    assert "An earlier version of this article gave the dates" in text
    assert page.locator(".diff-text ins").first.inner_text() == "16"
    page.screenshot(path=screenshot_dir / "provenance-page.png", full_page=True)
    page.close()


def test_the_standalone_script_verifies_the_demo_against_gunicorn(site_url):
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL_PATH), site_url + PUTIN_ARTICLE],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VERIFIED" in result.stdout
