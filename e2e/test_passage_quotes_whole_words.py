"""A passage is whole words: a selection ending mid-word takes in the whole
word, and the count badge never splits a word (issue 19, item 3: "17 M¹ay")."""

from e2e.passages import fill_guest, select

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
PASSAGE = "two days of talks on 16 and 17 May"

# Each count badge, with the character before it and the one after it.
BADGE_NEIGHBOURS = """() => [
  ...document.querySelectorAll('.article-body .feedback-count')].map((badge) => {
    const before = badge.previousSibling ? badge.previousSibling.textContent : '';
    const after = badge.nextSibling ? badge.nextSibling.textContent : '';
    return [before.slice(-1), after.slice(0, 1)];
  })"""


def test_a_selection_ending_mid_word_quotes_the_whole_word(
    browser, site_url, site_shell, screenshot_dir
):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + PUTIN_ARTICLE)
    selected = select(page, PASSAGE, cut=2)  # "… 17 M"
    assert selected.endswith("17 M")
    page.get_by_role("button", name="Comment on this passage").click()
    form = page.locator("details.compose form")
    assert form.locator("[data-passage-quote]").inner_text() == PASSAGE
    fill_guest(form, "Word Reader", "word.reader@example.org", "Which days?")
    page.wait_for_timeout(3500)
    form.get_by_role("button", name="Post comment").click()
    form.locator(".form-status").wait_for()

    stored = site_shell(
        "from byline.comments.models import Comment\n"
        "c = Comment.objects.get(email='word.reader@example.org')\n"
        "from byline.comments import moderation; moderation.approve([c])\n"
        "print(c.quote)\n"
    ).strip()
    assert stored == PASSAGE
    page.reload()
    marked = page.locator(".article-body mark.feedback", has_text="17 May")
    assert " ".join(marked.inner_text().split()).endswith("17 May")
    for before, after in page.evaluate(BADGE_NEIGHBOURS):
        assert not (before.isalnum() and after.isalnum()), (before, after)
    marked.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "passage-whole-words.png"))
    page.close()
