"""A reader's own state on pages every reader shares (issue 18's cache for every
anonymous reader; issue 19 items 5, 6 and 7), in Chromium.

Pages are cached whole; a reader's votes, held comments and remembered name
come from /comments/me/ and are applied by reader-state.js. A fresh comment is
in the thread at once: browsers never keep a stale copy of a page.
"""

import contextlib
import time
import uuid

from e2e.conftest import until_shown
from e2e.provenance_shell import article_url, new_slug, publish_article

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"
SETTINGS = (
    "from byline.comments.models import CommentSettings\n"
    "from wagtail.models import Site\n"
    "s = CommentSettings.for_site(Site.objects.get(is_default_site=True))\n"
)


def _make_comment(site_shell, text):
    return int(
        site_shell(
            "from byline.comments.models import Comment\n"
            "from byline.news.models import ArticlePage\n"
            "a = ArticlePage.objects.get(slug='putin-xi-state-visit-beijing')\n"
            f"c = Comment.objects.create(article=a, name='Voted On', email='v@e.org',\n"
            f"    text={text!r}, status='approved', featured=True, score=5)\n"
            "c.root = c; c.save()\n"
            "from byline.comments.moderation import recount; recount([a.pk])\n"
            "print(c.pk)\n"
        ).strip()
    )


@contextlib.contextmanager
def _moderation(site_shell, mode):
    was = site_shell(SETTINGS + "print(s.moderation)").strip()
    site_shell(SETTINGS + f"s.moderation = {mode!r}; s.save()")
    try:
        yield
    finally:
        site_shell(SETTINGS + f"s.moderation = {was!r}; s.save()")


def _fresh_article(site_shell):
    return article_url(site_shell(publish_article(new_slug("fresh"), "Fresh thread")))


def _served_from_cache(page, url):
    """Open url; True once the app's page cache serves it (a change may make
    the first visits a miss, or stale while it is rendered again in the
    background, which takes longer on a loaded machine)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        response = page.goto(url)
        if response.headers.get("x-page-cache") == "hit":
            return True
        time.sleep(0.2)
    return False


def _pressed(comment):
    up = comment.get_by_role("button", name="Vote up")
    down = comment.get_by_role("button", name="Vote down")
    return up.get_attribute("aria-pressed"), down.get_attribute("aria-pressed")


def _wait_pressed(page, comment, expected):
    page.wait_for_function(
        """([id, up, down]) => {
          const c = document.getElementById(id);
          const b = (v) =>
            c.querySelector(`button[value=${v}]`).getAttribute("aria-pressed");
          return b("up") === up && b("down") === down;
        }""",
        arg=[comment.get_attribute("id"), *expected],
    )


def test_a_voter_shares_cached_pages_sees_their_vote_and_can_change_it(
    browser, site_url, site_shell
):
    """Issue 18: after voting, the next article and home pages are cache hits
    and still show the vote; issue 19 item 7: pressed state, switch, withdraw."""
    pk = _make_comment(site_shell, f"Vote on me {uuid.uuid4().hex[:6]}.")
    until_shown(site_url + PUTIN_ARTICLE, f'id="comment-{pk}"')
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    comment = page.locator(f"#comment-{pk}")
    score = comment.locator(".comment-score")
    assert _pressed(comment) == ("false", "false")

    comment.get_by_role("button", name="Vote up").click()
    _wait_pressed(page, comment, ("true", "false"))
    assert score.inner_text() == "6"

    # The reader id now set does not make their pages personal.
    assert _served_from_cache(page, site_url + "/")
    assert _served_from_cache(page, site_url + PUTIN_ARTICLE)
    comment = page.locator(f"#comment-{pk}")
    _wait_pressed(page, comment, ("true", "false"))

    comment.get_by_role("button", name="Vote down").click()  # switch
    _wait_pressed(page, comment, ("false", "true"))
    assert comment.locator(".comment-score").inner_text() == "4"
    comment.get_by_role("button", name="Vote down").click()  # withdraw
    _wait_pressed(page, comment, ("false", "false"))
    assert comment.locator(".comment-score").inner_text() == "5"

    # Other readers' pages catch up once the page is rendered again: until
    # then (at most PAGE_CACHE_STALE_SECONDS) the copy before may be served,
    # with the score before; the reader's own state is theirs at once.
    deadline = time.monotonic() + 15
    while True:
        page.reload()
        comment = page.locator(f"#comment-{pk}")
        page.wait_for_load_state("networkidle")
        assert _pressed(comment) == ("false", "false")
        if comment.locator(".comment-score").inner_text() == "5":
            break
        assert time.monotonic() < deadline, "the page never showed the new score"
        time.sleep(0.3)
    context.close()


def test_a_fresh_comment_is_in_the_thread_at_once_without_javascript(
    browser, site_url, site_shell
):
    """Issue 18: the browser kept the page (stale-while-revalidate) and showed
    the thread without the comment just published, and the old count."""
    marker = f"Published at once {uuid.uuid4().hex[:8]}."
    # An article of its own: the thread's first page has room for the comment.
    url = site_url + _fresh_article(site_shell)
    with _moderation(site_shell, "none"):
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(url)
        page.goto(url)  # kept by the browser too
        before = int(page.locator("#comments-heading").inner_text().split()[0])
        page.locator("details.compose > summary").click()
        form = page.locator("details.compose form")
        form.get_by_role("textbox", name="Name").fill("Quick Reader")
        form.get_by_role("textbox", name="Email").fill("quick.reader@example.org")
        form.get_by_label("Your comment").fill(marker)
        page.wait_for_timeout(3500)
        with page.expect_navigation():
            form.get_by_role("button", name="Post comment").click()
        assert marker in page.locator("#comments .threads").inner_text()
        after = page.locator("#comments-heading").text_content().strip().lower()
        assert after.startswith(f"{before + 1} comment")
        context.close()


def test_a_fresh_comment_is_in_the_thread_at_once_with_javascript(
    browser, site_url, site_shell
):
    marker = f"Posted in place {uuid.uuid4().hex[:8]}."
    url = site_url + _fresh_article(site_shell)
    with _moderation(site_shell, "none"):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.goto(url)
        page.get_by_text("Click to comment").click()
        form = page.locator("details.compose form")
        form.get_by_role("textbox", name="Name").fill("Quick Reader")
        form.get_by_role("textbox", name="Email").fill("quick.reader@example.org")
        form.get_by_label("Your comment").fill(marker)
        page.wait_for_timeout(3500)
        form.get_by_role("button", name="Post comment").click()
        form.locator(".form-status").wait_for()
        page.locator("#comments .threads", has_text=marker).wait_for(timeout=10000)
        page.reload()
        assert marker in page.locator("#comments .threads").inner_text()
        context.close()


def _open_form(page):
    page.locator("details.compose").evaluate("(d) => { d.open = true; }")
    return page.locator("details.compose form")


def _post(page, name, email, text, *, remember=False):
    _open_form(page)
    form = page.locator("details.compose form")
    form.get_by_role("textbox", name="Name").fill(name)
    form.get_by_role("textbox", name="Email").fill(email)
    form.get_by_label("Your comment").fill(text)
    if remember:
        form.get_by_label("Save my name and email in this browser").check()
    page.wait_for_timeout(3500)
    form.get_by_role("button", name="Post comment").click()
    form.locator(".form-status").wait_for()


def _without_edit_cookie(context):
    """The edit window's cookie gone, as it is after ten minutes."""
    kept = [c for c in context.cookies() if c["name"] != "byline_edit"]
    context.clear_cookies()
    context.add_cookies(kept)


def test_a_held_comment_is_shown_to_its_author_only(browser, site_url):
    """Issue 19 item 5: "Your comment is awaiting moderation", for its author,
    on the shared cached page."""
    text = f"Held for review {uuid.uuid4().hex[:8]}."
    author = browser.new_context()
    page = author.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    _post(page, "Held Reader", "held.reader@example.org", text)
    held = page.locator(".comment-held", has_text=text)
    held.wait_for()
    assert "Your comment is awaiting moderation" in held.inner_text()

    _without_edit_cookie(author)
    assert _served_from_cache(page, site_url + PUTIN_ARTICLE)
    held = page.locator(".comment-held", has_text=text)
    held.wait_for()
    assert "Your comment is awaiting moderation" in held.inner_text()
    author.close()

    stranger = browser.new_context()
    other = stranger.new_page()
    other.goto(site_url + PUTIN_ARTICLE)
    other.wait_for_load_state("networkidle")
    assert text not in other.content()
    assert other.locator(".comment-held").count() == 0
    stranger.close()


def test_name_and_email_are_remembered_only_when_asked(browser, site_url):
    """Issue 19 item 6: WordPress's opt-in box, off by default; a cached page's
    form is filled in for the reader who ticked it."""
    remembered = browser.new_context()
    page = remembered.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    box = _open_form(page).get_by_label("Save my name and email in this browser")
    assert not box.is_checked()
    _post(page, "Kept Name", "kept.name@example.org", "Remember me.", remember=True)

    _without_edit_cookie(remembered)
    assert _served_from_cache(page, site_url + PUTIN_ARTICLE)
    page.wait_for_load_state("networkidle")
    form = _open_form(page)
    assert form.get_by_role("textbox", name="Name").input_value() == "Kept Name"
    assert (
        form.get_by_role("textbox", name="Email").input_value()
        == "kept.name@example.org"
    )
    assert form.get_by_label("Save my name and email in this browser").is_checked()
    remembered.close()

    forgetful = browser.new_context()
    page = forgetful.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    _post(page, "Gone Name", "gone.name@example.org", "Forget me.")
    page.goto(site_url + PUTIN_ARTICLE)
    page.wait_for_load_state("networkidle")
    assert _open_form(page).get_by_role("textbox", name="Name").input_value() == ""
    forgetful.close()


def test_reader_state_looks_right_in_both_schemes(browser, site_url, screenshot_dir):
    """Screenshots of the form with the remember box and a held comment, at
    phone and desktop sizes, light and dark (for a person to look at)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    _post(page, "Shown Reader", "shown@example.org", "Held, to look at.", remember=True)
    for scheme in ("light", "dark"):
        for name, size in (("390", (390, 844)), ("1280", (1280, 900))):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.emulate_media(color_scheme=scheme)
            page.goto(site_url + PUTIN_ARTICLE + "#comments")
            page.locator(".comment-held").first.wait_for()
            _open_form(page)
            page.locator("#comments").screenshot(
                path=screenshot_dir / f"reader-state-{name}-{scheme}.png"
            )
    context.close()


def test_votes_show_on_comments_added_by_load_more(browser, site_url, site_shell):
    """Issue 19 item 7: comments that "Load more" brings in show this reader's
    vote as pressed, like those the page came with."""
    url = article_url(site_shell(publish_article(new_slug("many"), "Many threads")))
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    last = int(
        site_shell(
            "from byline.comments.models import Comment\n"
            "from byline.news.models import ArticlePage\n"
            "from byline.comments.moderation import recount\n"
            f"a = ArticlePage.objects.get(slug={slug!r})\n"
            "for n in range(21):\n"
            "    c = Comment.objects.create(article=a, name=f'Reader {n}',\n"
            "        email=f'r{n}@e.org', text=f'Thread {n}.', status='approved')\n"
            "    c.root = c; c.save()\n"
            "recount([a.pk])\n"
            "print(Comment.objects.filter(article=a).order_by('pk').first().pk)\n"
        ).strip()
    )
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + url + "?sort=newest")
    more = page.locator("a[data-load-more]").get_attribute("href")
    page.goto(site_url + more if more.startswith("/") else more)  # the second page
    comment = page.locator(f"#comment-{last}")
    comment.get_by_role("button", name="Vote up").click()
    _wait_pressed(page, comment, ("true", "false"))

    page.goto(site_url + url + "?sort=newest")
    assert page.locator(f"#comment-{last}").count() == 0  # on the second page
    page.wait_for_load_state("networkidle")
    page.locator("a[data-load-more]").click()
    comment = page.locator(f"#comment-{last}")
    comment.wait_for()
    _wait_pressed(page, comment, ("true", "false"))
    context.close()
