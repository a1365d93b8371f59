"""M7 in a real browser: a trusted commenter's name and address earn nothing typed
by someone else, and the address's owner publishes from a new browser by mail."""

import re

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"


def _trusted(site_shell, name, email):
    """A commenter with an approved comment from earlier (no browser on record)."""
    site_shell(
        "from byline.comments.models import Comment\n"
        "from byline.news.models import ArticlePage\n"
        "a = ArticlePage.objects.get(slug='putin-xi-state-visit-beijing')\n"
        f"c = Comment.objects.create(article=a, name={name!r}, email={email!r},\n"
        "    text='An earlier, approved comment.', status='approved')\n"
        "c.root = c; c.save()\n"
        "from byline.comments.moderation import recount; recount([a.pk])\n"
    )


def _post_as(page, site_url, name, email, text):
    page.goto(site_url + PUTIN_ARTICLE)
    page.get_by_text("Click to comment").click()
    form = page.locator("details.compose form")
    form.get_by_role("textbox", name="Name").fill(name)
    form.get_by_role("textbox", name="Email").fill(email)
    form.get_by_label("Your comment").fill(text)
    page.wait_for_timeout(3500)  # people take a few seconds to write
    form.get_by_role("button", name="Post comment").click()
    status = form.locator(".form-status")
    status.wait_for()
    return status.inner_text()


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_posting_as_a_trusted_commenter_is_held_and_she_is_told(
    browser, site_url, site_shell, inbox
):
    """Eve types Tess's name and address: held, and Tess gets the text by mail."""
    _trusted(site_shell, "Trusted Tess", "tess.trusted@example.org")
    eve = browser.new_context().new_page()
    said = _post_as(
        eve, site_url, "Trusted Tess", "tess.trusted@example.org", "Eve posing as Tess."
    )
    assert "once a moderator approves it" in said
    # Not published: only its author is shown it, as awaiting moderation.
    reader = browser.new_context().new_page()
    reader.goto(site_url + PUTIN_ARTICLE)
    reader.wait_for_load_state("networkidle")
    assert "Eve posing as Tess." not in reader.locator("#comments").inner_text()
    reader.context.close()
    eve.goto(site_url + PUTIN_ARTICLE)
    assert "Eve posing as Tess." not in eve.locator("#comments .threads").inner_text()
    held = eve.locator(".comment-held", has_text="Eve posing as Tess.")
    assert "awaiting moderation" in held.inner_text()
    (asked,) = [m for m in inbox() if m["To"] == "tess.trusted@example.org"]
    assert "Eve posing as Tess." in _body(asked)
    eve.context.close()


def test_the_owner_publishes_from_a_new_browser_by_the_mailed_link(
    browser, site_url, site_shell, inbox, screenshot_dir
):
    """Uma on a new phone: held, mailed, one press publishes, then she is known."""
    _trusted(site_shell, "Usual Uma", "uma.usual@example.org")
    phone = browser.new_context().new_page()
    said = _post_as(
        phone, site_url, "Usual Uma", "uma.usual@example.org", "Uma from her phone."
    )
    assert "once a moderator approves it" in said
    (asked,) = [m for m in inbox() if m["To"] == "uma.usual@example.org"]
    link = re.search(r"http://\S+/comments/address/\S+/", _body(asked)).group(0)

    phone.goto(link)
    assert "Uma from her phone." in phone.locator(".comment-text").inner_text()
    phone.screenshot(path=str(screenshot_dir / "address-check.png"))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Yes, I wrote it: publish it").click()
    assert "your comment is published" in phone.locator(".messages").inner_text()
    assert "Uma from her phone." in phone.locator("#comments").inner_text()

    said = _post_as(
        phone, site_url, "Usual Uma", "uma.usual@example.org", "Uma, known now."
    )
    assert "your comment is published" in said
    phone.context.close()
