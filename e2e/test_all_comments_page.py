"""The "View all comments" page has the same actions as the article's comment
area, in the article's column; Reply and Report are buttons; "Post comment"
is as strong as "Click to comment" (issue 19, item 8)."""

import re

import pytest
from playwright.sync_api import expect

from e2e.passages import fill_guest

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
LEFT_AND_WIDTH = (
    "e => [e.getBoundingClientRect().left, e.getBoundingClientRect().width]"
)


def _all_comments_url(page, site_url):
    page.goto(site_url + PUTIN_ARTICLE)
    action = page.locator("details.compose form").get_attribute("action")
    article_id = re.search(r"/article/(\d+)/post/", action).group(1)
    return f"{site_url}/comments/article/{article_id}/"


@SIZES
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_all_comments_page_has_the_actions_in_the_article_column(
    browser, site_url, viewport, scheme, screenshot_dir
):
    page = browser.new_page(viewport=viewport, color_scheme=scheme)
    all_url = _all_comments_url(page, site_url)
    article_left, article_width = page.locator("article.article").evaluate(
        LEFT_AND_WIDTH
    )
    under_article = page.locator("#comments").evaluate(LEFT_AND_WIDTH)
    page.goto(all_url)
    on_all_page = page.locator("#comments").evaluate(LEFT_AND_WIDTH)
    for left, width in (under_article, on_all_page):
        assert abs(left - article_left) <= 1
        assert abs(width - article_width) <= 1
    heading = page.get_by_role("heading", level=1).evaluate(LEFT_AND_WIDTH)
    assert abs(heading[0] - article_left) <= 1

    comments = page.locator(".comment").count()
    assert comments > 0
    # A <summary>: a disclosure button to assistive technology, and it works
    # without JavaScript (axe allows it no explicit role).
    expect(page.locator("details.compose > summary")).to_have_text("Click to comment")
    assert page.locator(".comment details.reply > summary").count() == comments
    assert page.locator(".comment details.report > summary").count() == comments
    page.screenshot(
        path=str(screenshot_dir / f"all-comments-{viewport['width']}-{scheme}.png")
    )
    page.close()


def test_a_reply_is_posted_from_the_all_comments_page(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(_all_comments_url(page, site_url))
    first = page.locator(".threads > li").first
    first.locator("details.reply > summary").first.click()
    form = first.locator("details.reply form").first
    fill_guest(
        form, "All Page", "all.page@example.org", "From the full list.", "Your reply"
    )
    page.wait_for_timeout(3500)
    url = page.url
    form.get_by_role("button", name="Post reply").click()
    expect(form.locator(".form-status")).to_contain_text("moderator")
    assert page.url == url
    page.close()


def test_reply_and_report_are_buttons_a_keyboard_opens(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    comment = page.locator(".threads > li > .comment").first
    for name, opened in [("Reply", "Your reply"), ("Report", "Why should")]:
        control = comment.locator("details > summary", has_text=name)
        look = control.evaluate(
            "e => { const s = getComputedStyle(e); return [s.display,"
            " s.listStyleType, parseFloat(s.borderTopWidth), s.fontWeight]; }"
        )
        # A bordered button, with no disclosure triangle.
        assert look[0] != "list-item" and look[1] == "none", look
        assert look[2] >= 1 and int(look[3]) >= 600, look
        control.focus()
        page.keyboard.press("Enter")
        expect(comment.get_by_label(re.compile(opened))).to_be_visible()
        assert control.evaluate("e => e.parentElement.open")
        page.keyboard.press("Enter")
        assert not control.evaluate("e => e.parentElement.open")
    page.close()


def test_post_comment_is_as_strong_as_click_to_comment(browser, site_url):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    style = (
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color,"
        " s.fontWeight, s.fontSize, s.borderRadius, s.padding]; }"
    )
    opener = page.locator("details.compose > summary")
    strong = opener.evaluate(style)
    opener.click()
    post = page.get_by_role("button", name="Post comment")
    assert post.evaluate(style) == strong
    page.close()


def test_a_vote_without_javascript_returns_to_the_all_comments_page(
    browser, site_url, screenshot_dir
):
    """With JavaScript off a vote is a form post: the reader comes back to the
    page of "View all comments" they voted on, in its sort, at the comment,
    with the vote counted and said there (not on the article's page)."""
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    listing = _all_comments_url(page, site_url) + "?sort=newest&page=1"
    page.goto(listing)
    comment = page.locator(".threads .comment").last
    comment_id = comment.get_attribute("id")
    before = int(comment.locator(".comment-score").inner_text())
    comment.get_by_role("button", name="Vote up").click()
    # A first vote from this browser is confirmed on a page of its own.
    page.locator("form.vote-confirm button[value=up]").click()
    assert page.url == f"{listing}#{comment_id}"
    landed = page.locator(f"#{comment_id}")
    expect(landed.locator(".message")).to_have_text("Thank you for your vote.")
    expect(landed.locator(".comment-score")).to_have_text(str(before + 1))
    landed.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "all-comments-vote-without-js.png"))
    # The browser has its reader id now: a second vote counts at once.
    landed.get_by_role("button", name="Vote up").click()
    assert page.url == f"{listing}#{comment_id}"
    expect(page.locator(f"#{comment_id} .message")).to_have_text(
        "Your vote is withdrawn."
    )
    context.close()
