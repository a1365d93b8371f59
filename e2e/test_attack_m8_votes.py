"""M8 in a real browser: votes cannot be stuffed, and readers' votes still count.

The review moved a score from 8 to -6 with 15 cookieless POSTs. Here the same
attack runs from a page's own script, a second browser on the same connection
tries again, and readers vote with and without JavaScript.
"""

from e2e.conftest import until_shown

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"


def _make_comment(site_shell, text):
    """An approved editors' pick with score 8 (first under "Most voted")."""
    return int(
        site_shell(
            "from byline.comments.models import Comment\n"
            "from byline.news.models import ArticlePage\n"
            "a = ArticlePage.objects.get(slug='putin-xi-state-visit-beijing')\n"
            f"c = Comment.objects.create(article=a, name='Voted On', email='v@e.org',\n"
            f"    text={text!r}, status='approved', featured=True, score=8)\n"
            "c.root = c; c.save()\n"
            "from byline.comments.moderation import recount; recount([a.pk])\n"
            "print(c.pk)\n"
        ).strip()
    )


def _stored(site_shell, pk):
    out = site_shell(
        "from byline.comments.models import Comment, Vote\n"
        f"print(Comment.objects.get(pk={pk}).score,"
        f" Vote.objects.filter(comment_id={pk}).count())\n"
    )
    return tuple(int(n) for n in out.split())


STUFF = """async (url) => {
  const answers = [];
  for (let i = 0; i < 15; i++) {
    const body = new FormData();
    body.append("value", "down");
    const r = await fetch(url, {method: "POST", body, credentials: "omit",
                                headers: {Accept: "application/json"}});
    answers.push(r.status);
  }
  return answers;
}"""


def test_stuffing_votes_from_a_page_moves_nothing(browser, site_url, site_shell):
    """15 cookieless POSTs from the page count 0; a reader's clicks count once."""
    pk = _make_comment(site_shell, "Vote on me with scripts on.")
    until_shown(site_url + PUTIN_ARTICLE + "?sort=votes", f'id="comment-{pk}"')
    page = browser.new_page()
    page.goto(site_url + PUTIN_ARTICLE + "?sort=votes")
    answers = page.evaluate(STUFF, f"{site_url}/comments/{pk}/vote/")
    assert answers == [403] * 15
    assert _stored(site_shell, pk) == (8, 0)

    form = page.locator(f"#comment-{pk} .vote-form")
    score = form.locator(".comment-score")
    form.get_by_role("button", name="Vote up").click()
    page.wait_for_function(
        "el => el.textContent.trim() === '9'", arg=score.element_handle()
    )
    assert form.get_by_role("button", name="Vote up").get_attribute("aria-pressed")
    form.get_by_role("button", name="Vote down").click()
    page.wait_for_function(
        "el => el.textContent.trim() === '7'", arg=score.element_handle()
    )
    assert _stored(site_shell, pk) == (7, 1)

    # A second browser on the same connection (cookies of its own) adds nothing.
    other = browser.new_context().new_page()
    other.goto(site_url + PUTIN_ARTICLE + "?sort=votes")
    other_form = other.locator(f"#comment-{pk} .vote-form")
    other_form.get_by_role("button", name="Vote down").click()
    other_form.locator(".form-status").wait_for()
    assert "connection" in other_form.locator(".form-status").inner_text()
    assert _stored(site_shell, pk) == (7, 1)
    other.context.close()
    page.close()


def test_a_first_vote_without_javascript_is_confirmed(
    browser, site_url, site_shell, screenshot_dir
):
    """No script, a cached page: the vote goes through a confirmation page."""
    pk = _make_comment(site_shell, "Vote on me with scripts off.")
    until_shown(site_url + PUTIN_ARTICLE + "?sort=votes", f'id="comment-{pk}"')
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PUTIN_ARTICLE + "?sort=votes")
    page.locator(f"#comment-{pk} .vote-form").get_by_role(
        "button", name="Vote up"
    ).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Confirm your vote"
    assert "Vote on me with scripts off." in page.locator("main").inner_text()
    page.screenshot(path=str(screenshot_dir / "vote-confirm.png"))
    with page.expect_navigation():
        page.get_by_role("button", name="▲ Vote up").click()
    assert "Thank you for your vote." in page.locator(".messages").inner_text()
    assert page.locator(f"#comment-{pk} .comment-score").inner_text() == "9"
    assert _stored(site_shell, pk) == (9, 1)
    context.close()
