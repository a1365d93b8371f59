"""The admin's slug script (static/js/slug.js) makes the slug Python makes
(byline/core/slugs.py) from the same title: the admin and the importers agree,
and neither drops the marks of Indic or Thai headlines."""

from byline.core.slugs import WHITESPACE, dropped_marks_for_script, slugify
from byline.core.tests.test_slugs import INDIC, UNMARKED
from e2e.conftest import ROOT

SCRIPT = ROOT / "byline" / "static" / "js" / "slug.js"


def test_the_admin_script_slugs_as_python_does(browser):
    page = browser.new_page()
    page.set_content("<!doctype html><meta charset=utf-8><title>slug</title>")
    page.add_script_tag(content=SCRIPT.read_text())
    titles = [headline for headline, _ in INDIC.values()]
    titles += [*UNMARKED, "İstanbul", "ΟΔΟΣ", "a\u200db\u200cc", "Ⅻ ½"]
    titles += ["مَعرض الكتاب", "עִבְרִית"]
    made = page.evaluate(
        "([titles, ws, dropped]) => titles.map("
        "t => window.bylineSlugify(t, ws, dropped))",
        [titles, WHITESPACE, dropped_marks_for_script()],
    )
    assert made == [slugify(title) for title in titles]
    assert made[0] == INDIC["hindi"][1]
    page.close()
