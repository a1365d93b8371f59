"""A confirmed subscription is described as what the reader chose (issue 19,
item 9): replies to their comment, or every new comment on the article."""

import re

import pytest
from playwright.sync_api import expect

from e2e.passages import fill_guest

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
CHOICES = {
    "Replies to my comment": ("when someone replies to your comment", "new comments"),
    "All new comments": ("new comments on this article", "replies"),
}


def _text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.mark.parametrize("choice", list(CHOICES))
def test_confirmation_names_the_chosen_notifications(browser, site_url, inbox, choice):
    said, not_said = CHOICES[choice]
    address = f"wording.{choice.split()[0].lower()}@example.org"
    page = browser.new_page(java_script_enabled=False)
    page.goto(site_url + PUTIN_ARTICLE)
    page.locator("details.compose > summary").click()
    form = page.locator("details.compose form")
    fill_guest(form, "Wording Reader", address, "Tell me what follows.")
    form.get_by_label(choice).check()
    page.wait_for_timeout(3500)
    with page.expect_navigation():
        form.get_by_role("button", name="Post comment").click()

    (mail,) = [m for m in inbox() if m["To"] == address]
    confirm_url = re.search(r"http://\S+/confirm/\S+/", _text_of(mail)).group(0)
    page.goto(confirm_url)
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, notify me").click()
    message = page.locator(".messages").filter(has_text="Confirmed")
    expect(message).to_contain_text(said)
    assert not_said not in message.inner_text()
    page.close()
