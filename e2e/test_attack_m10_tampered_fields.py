"""M10 in the reader's browser: the "Verified" mark compares everything the page
shows as the article with what was signed, and Python and JavaScript read the
same page the same way (whitespace is one explicit list of code points)."""

import pytest

from e2e.provenance_shell import article_url, new_slug, publish_article

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"

# Changes an attacker with the database makes after the article was signed.
TAMPERS = {
    "type of work": (
        "ArticlePage.objects.filter(slug=SLUG).update(type_of_work='news')",
        "type of work on this page is not the signed one",
    ),
    "byline": (
        "impostor = Author.objects.create(name='Someone Else', slug=SLUG)\n"
        "ArticleAuthor.objects.filter(page__slug=SLUG).update(author=impostor)",
        "byline on this page is not the signed byline",
    ),
    "methods": (
        "ArticlePage.objects.filter(slug=SLUG).update(methods='We were there.')",
        "account of how it was reported on this page",
    ),
}


def browser_mark(browser, url, screenshot=None):
    """(data-verified, text) of the mark once the browser has checked it."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    mark = page.locator("[data-provenance-mark][data-verified]")
    mark.wait_for(timeout=15_000)
    result = mark.get_attribute("data-verified"), mark.inner_text()
    if screenshot:
        page.screenshot(path=screenshot)
    page.close()
    return result


@pytest.mark.parametrize("tamper", TAMPERS)
def test_a_database_tamper_makes_the_browser_mark_fail(
    browser, site_url, site_shell, screenshot_dir, tamper
):
    """Type of work, byline or methods changed in the database: not verified."""
    slug, control = new_slug("tamper"), new_slug("control")
    change, reason = TAMPERS[tamper]
    control_url = article_url(site_shell(publish_article(control, "Talks resume")))
    # Tampered before anyone reads it, so no cached copy predates the change.
    url = article_url(
        site_shell(
            publish_article(slug, "Talks resume")
            + "from byline.news.models import ArticleAuthor, ArticlePage, Author\n"
            + f"SLUG = {slug!r}\n"
            + change
            + "\nprint(article.url)"
        )
    )
    assert browser_mark(browser, site_url + control_url)[0] == "browser"
    shot = screenshot_dir / f"provenance-tampered-{tamper.replace(' ', '-')}.png"
    verified, text = browser_mark(browser, site_url + url, shot)
    assert verified == "failed", text
    assert reason in text


def test_a_byte_order_mark_in_the_text_verifies_in_the_browser_and_on_the_server(
    browser, site_url, site_shell
):
    """U+FEFF is not whitespace for the server, the browser or the tool."""
    slug = new_slug("bom")
    body = "<p>Zero\ufeffwidth no\u2060break and\u00a0space.</p>"
    url = article_url(
        site_shell(publish_article(slug, "A \ufeffquiet word", body=body))
    )
    verified, text = browser_mark(browser, site_url + url)
    assert verified == "browser", text


def test_javascript_treats_exactly_the_listed_code_points_as_whitespace(
    browser, site_url
):
    """Differential over every code point: verify.js against canonical.py."""
    from byline.provenance.canonical import WHITESPACE_CODE_POINTS, normalise

    page = browser.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    page.locator("[data-provenance-mark][data-verified]").wait_for(timeout=15_000)
    in_javascript = page.evaluate(
        """() => {
          const { normalise } = window.BylineProvenance;
          const spaces = [];
          for (let code = 0; code < 0x110000; code++) {
            if (code >= 0xd800 && code <= 0xdfff) continue;
            const c = String.fromCodePoint(code);
            if (normalise(`a${c}b`) === "a b" && normalise(`${c}x${c}`) === "x") {
              spaces.push(code);
            }
          }
          return spaces;
        }"""
    )
    page.close()
    in_python = [
        code
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
        and normalise(f"a{chr(code)}b") == "a b"
        and normalise(f"{chr(code)}x{chr(code)}") == "x"
    ]
    assert in_javascript == in_python == list(WHITESPACE_CODE_POINTS)
