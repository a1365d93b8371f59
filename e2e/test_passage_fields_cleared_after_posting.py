"""After a comment on a passage, the next comment is on the whole article
(issue 19, item 2: hidden anchor fields survived form.reset())."""

from e2e.passages import fill_guest, select

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
PASSAGE = "a route Beijing has wanted for decades"


def test_a_general_comment_after_a_passage_comment_has_no_passage(
    browser, site_url, site_shell
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + PUTIN_ARTICLE)
    select(page, PASSAGE)
    page.get_by_role("button", name="Comment on this passage").click()
    form = page.locator("details.compose form")
    assert PASSAGE in form.locator("[data-passage-quote]").inner_text()
    fill_guest(form, "Two Posts", "two.posts@example.org", "On the Tumen route.")
    page.wait_for_timeout(3500)  # people take a few seconds to write
    form.get_by_role("button", name="Post comment").click()
    form.locator(".form-status").wait_for()

    # The form is empty again, passage included.
    assert form.locator("[data-passage]").is_hidden()
    assert form.locator("input[name=quote]").input_value() == ""
    fill_guest(form, "Two Posts", "two.posts@example.org", "On the whole piece.")
    page.wait_for_timeout(3500)
    form.get_by_role("button", name="Post comment").click()
    page.wait_for_function(
        "() => document.querySelector('details.compose .form-status')"
        ".textContent.includes('moderator')"
    )
    page.close()

    quotes = (
        site_shell(
            "from byline.comments.models import Comment\n"
            "for c in Comment.objects.filter(email='two.posts@example.org')"
            ".order_by('pk'):\n"
            "    print(repr(c.text), repr(c.quote))\n"
        )
        .strip()
        .splitlines()
    )
    assert quotes == [
        f"'On the Tumen route.' '{PASSAGE}'",
        "'On the whole piece.' ''",
    ]
