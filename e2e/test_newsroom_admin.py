"""An editor in the admin, in Chromium: writes a new article in a section, and
moderates the waiting comments from the queue."""

import pytest

from e2e.conftest import SITE

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def sign_in(browser, site_url, viewport=DESKTOP, scheme="light"):
    """A page signed in as the demo's editor (a plain member of Editors)."""
    with open(SITE["env"]["BYLINE_VAR_DIR"] + "/demo-editor-password") as file:
        secret = file.read().strip()
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    page.goto(site_url + "/admin/login/")
    assert page.locator("h1").inner_text() == "Sign in to Byline"
    page.fill("#id_username", "editor")
    page.fill("#id_password", secret)
    page.click("button[type=submit]")
    page.wait_for_url(site_url + "/admin/")
    return page


def test_editor_starts_a_new_article_in_a_section(browser, site_url, screenshot_dir):
    """ "New article" in the menu asks for the section, then opens the editor with
    a wrapping Headline box whose length guide follows the typing."""
    page = sign_in(browser, site_url)
    page.get_by_role("link", name="New article").first.click()
    page.wait_for_url("**/admin/new-article/")
    page.get_by_role("link", name="Business").click()
    page.wait_for_url("**/admin/pages/add/news/articlepage/*/")
    box = page.locator("textarea#id_title")
    assert box.is_visible()
    headline = (
        "Central banks in three continents cut rates in the same week, and "
        "markets are asking who moved first"
    )
    box.fill(headline)
    guide = page.locator("#id_title-length")
    assert guide.inner_text().startswith(f"{len(headline)} characters")
    assert guide.get_attribute("data-state") == "too-long"
    box.press("End")
    box.press("Enter")
    assert "\n" not in box.input_value()
    height = box.evaluate("el => el.getBoundingClientRect().height")
    assert height > 60  # two lines, not one truncated line
    page.screenshot(path=screenshot_dir / "admin-new-article.png")
    page.close()


# Dark first: the light run approves the held comments.
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_moderator_sees_the_count_and_approves_held_comments(
    browser, site_url, scheme, screenshot_dir
):
    """The menu counts waiting comments; selecting two says "2 comments
    selected"; approving asks "Approve 2 comments?" over an "Approve" button."""
    page = sign_in(browser, site_url, scheme=scheme)
    badge = page.locator("a[data-waiting]")
    assert int(badge.get_attribute("data-waiting")) >= 2
    page.screenshot(path=screenshot_dir / f"admin-dashboard-{scheme}.png")
    page.goto(site_url + "/admin/comments/?status=pending")
    page.screenshot(path=screenshot_dir / f"admin-comments-{scheme}.png")
    if scheme == "dark":
        page.close()
        return
    # The demo's two held comments (other tests may have left more).
    for words in ("Is there a transcript", "Everyone knows how this ends"):
        row = page.locator("tr", has_text=words)
        row.locator("input[data-bulk-action-checkbox]").check(force=True)
    selected = page.locator("[data-bulk-action-num-objects]").inner_text()
    assert selected in ("2 comments selected", "All 2 comments on this screen selected")
    page.locator("[data-bulk-action-footer] a", has_text="Approve").click()
    page.wait_for_url("**/admin/bulk/comments/comment/approve/**")
    assert page.locator("h1").inner_text() == "Approve 2 comments?"
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/admin/comments/**")
    assert "2 comments approved" in page.locator(".messages").inner_text()
    page.close()


def test_moderation_queue_fits_a_phone(browser, site_url, screenshot_dir):
    """On a 390 px phone a comment stays readable (the other columns scroll)
    and its buttons usable."""
    page = sign_in(browser, site_url, viewport=PHONE)
    page.goto(site_url + "/admin/comments/")
    cell = page.locator("td.byline-comment-cell").first.bounding_box()
    button = page.locator(".byline-row-actions button").first.bounding_box()
    page.screenshot(path=screenshot_dir / "admin-comments-390.png", full_page=True)
    page.close()
    assert cell["width"] >= 240
    assert button["width"] >= 40 and button["height"] >= 24
