"""Passage comments start on phones: a touch selection fires no mouse or key
events, only selectionchange (issue 19, item 4)."""

from e2e.passages import select

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
PASSAGE = "the leadership compound next to the Forbidden City"
PHONE = {"width": 390, "height": 844}


def test_a_touch_selection_offers_to_comment_on_the_passage(
    browser, site_url, screenshot_dir
):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    select(page, PASSAGE, mouseup=False)  # as a long press and its handles do
    button = page.get_by_role("button", name="Comment on this passage")
    button.wait_for(state="visible", timeout=3000)
    button.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "passage-touch-phone.png"))
    button.tap()
    form = page.locator("details.compose form")
    assert form.locator("[data-passage-quote]").inner_text() == PASSAGE
    assert form.get_by_label("Your comment").is_visible()
    # Within the phone's width: the button and the form do not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
