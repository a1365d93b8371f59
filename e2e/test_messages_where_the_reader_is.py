"""A confirmation is shown where the reader lands, not at the top of the page
(issue 19, item 1), and never enters the page others are served."""

import re

import pytest
from playwright.sync_api import expect

from e2e.passages import fill_guest

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SIZES = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


def _said_here(page, container, words):
    """The message is inside `container`, on screen, and not at the page's top."""
    message = page.locator(f"{container} .messages-here")
    expect(message).to_contain_text(words)
    expect(message).to_be_in_viewport()
    assert page.locator("main > .messages").count() == 0
    return message


@SIZES
def test_a_comment_posted_without_javascript_is_confirmed_where_the_page_lands(
    browser, site_url, viewport
):
    page = browser.new_page(java_script_enabled=False, viewport=viewport)
    page.goto(site_url + PUTIN_ARTICLE)
    page.locator("details.compose > summary").click()
    form = page.locator("details.compose form")
    fill_guest(form, "Plain Reader", "plain.here@example.org", "No scripts here.")
    page.wait_for_timeout(3500)
    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()
    assert page.url.endswith("#comments")
    _said_here(page, "#comments", "once a moderator approves it")
    page.close()


@SIZES
def test_a_report_is_confirmed_beside_the_comment(browser, site_url, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + PUTIN_ARTICLE)
    comment = page.locator(".threads > li > .comment").nth(1)
    comment_id = comment.get_attribute("id")
    comment.locator("details.report > summary").click()
    comment.get_by_label("Why should a moderator look at this?").select_option("spam")
    comment.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(f"#{comment_id}$"))
    _said_here(page, f"#{comment_id}", "a moderator will look at this comment")
    page.close()


@SIZES
def test_a_correction_alert_is_confirmed_beside_its_form(browser, site_url, viewport):
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + PUTIN_ARTICLE)
    form = page.locator("#correction-alert")
    form.get_by_label("Email me if this article is corrected").fill(
        f"alert.{viewport['width']}@example.org"
    )
    form.get_by_role("button", name="Notify me").click()
    page.wait_for_url(re.compile("#correction-alert$"))
    _said_here(page, "#correction-alert", "Almost done")
    page.close()


def _text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@SIZES
def test_notify_me_and_its_confirmation_are_said_beside_the_comments(
    browser, site_url, inbox, viewport
):
    address = f"notify.here.{viewport['width']}@example.org"
    page = browser.new_page(viewport=viewport)
    page.goto(site_url + PUTIN_ARTICLE)
    page.get_by_text("Notify me of new comments without commenting").click()
    page.locator("details.follow").get_by_label("Email").fill(address)
    page.locator("details.follow").get_by_role("button", name="Notify me").click()
    page.wait_for_url(re.compile("#comments$"))
    _said_here(page, "#comments", "Check your inbox")

    (mail,) = [m for m in inbox() if m["To"] == address]
    confirm_url = re.search(r"http://\S+/confirm/\S+/", _text_of(mail)).group(0)
    page.goto(confirm_url)
    page.get_by_role("button", name="Yes, notify me").click()
    page.wait_for_url(re.compile("#comments$"))
    _said_here(page, "#comments", "new comments on this article")
    page.close()


def test_a_message_never_enters_the_shared_page(browser, site_url):
    """The page that shows a reader's message is theirs alone (private, kept
    by no cache); the next reader, and the same one on reload, get the plain
    shared page with no message in it."""
    page = browser.new_page(viewport=DESKTOP)
    page.goto(site_url + PUTIN_ARTICLE)
    comment = page.locator(".threads > li > .comment").first
    comment.locator("details.report > summary").click()
    with page.expect_response(
        lambda r: (
            r.url.split("#")[0] == site_url + PUTIN_ARTICLE
            and r.request.method == "GET"
        )
    ) as shown:
        comment.get_by_role("button", name="Send report").click()
    response = shown.value
    assert "private" in response.headers["cache-control"]
    assert response.headers.get("x-page-cache") != "hit"
    expect(page.locator(".messages-here")).to_have_count(1)
    page.reload()
    expect(page.locator(".messages-here")).to_have_count(0)
    page.close()

    stranger = browser.new_page(viewport=DESKTOP)
    for _ in range(2):  # the second is served from the page cache
        answer = stranger.goto(site_url + PUTIN_ARTICLE)
        assert "a moderator will look" not in answer.text()
    assert answer.headers.get("x-page-cache") == "hit"
    stranger.close()
