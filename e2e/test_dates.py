"""One date format, in the site's language and time zone, wherever a date is
written: by the server or by the browser's own provenance check."""

import re

import pytest

ARTICLE = "/world/putin-xi-state-visit-beijing/"
SERVER_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_browser_check_writes_its_date_as_the_server_does(browser, site_url, locale):
    """ "Verified in your browser … signed on 5 December 2026": the same format
    as every date the server writes, whatever language the browser is set to."""
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(site_url + ARTICLE)
    page.wait_for_selector("[data-provenance-mark][data-verified='browser']")
    status = page.locator("[data-provenance-status]").inner_text()
    signed_on = status.rsplit("signed on ", 1)[1].strip()
    # The latest version is the corrected one: its note carries its date.
    note_time = page.locator(".corrections time").first.inner_text()
    context.close()
    assert SERVER_DATE.match(signed_on), signed_on
    assert signed_on == note_time.split(",")[0]


def test_page_names_the_sites_language(browser, site_url):
    """<html lang> is the site's language (LANGUAGE_CODE en-gb → en-GB), not a
    bare "en" that browsers read as American English."""
    page = browser.new_page()
    page.goto(site_url + ARTICLE)
    lang = page.evaluate("document.documentElement.lang")
    page.close()
    assert lang == "en-GB"
