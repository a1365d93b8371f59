"""L10 in Chromium: a mailed confirmation link confirms only when its button is
pressed, for the newsletter and for correction alerts; one-click unsubscribe
(a mail provider's POST with no cookie) still ends an alert."""

import re

PUTIN_ARTICLE = "/world/putin-xi-state-visit-beijing/"


def _text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _link(inbox, address, pattern):
    (message,) = [m for m in inbox() if m["To"] == address]
    return re.search(pattern, _text_of(message)).group(0)


def _state(site_shell, code):
    return site_shell(code).strip().splitlines()[-1]


def test_a_newsletter_link_opened_by_a_scanner_confirms_nothing_the_button_does(
    browser, site_url, site_shell, inbox
):
    """Newsletter: fetched link, nothing; button on its page, subscribed."""
    address = "scanned-newsletter@example.org"
    active = (
        "from byline.newsletter.models import Subscriber\n"
        f"print(Subscriber.objects.get(email='{address}').active)"
    )
    page = browser.new_page()
    page.goto(site_url + "/")
    footer = page.locator("footer form.newsletter-form")
    footer.locator("input[name=email]").fill(address)
    with page.expect_navigation():
        footer.get_by_role("button", name="Sign up").click()
    assert "Check your inbox" in page.locator("main h1").inner_text()
    link = _link(inbox, address, r"http://\S+/newsletter/confirm/\S+/")

    scanner = browser.new_context()  # its own cookies: a mail provider's fetch
    assert scanner.request.get(link).status == 200
    scanner.close()
    page.goto(link)
    assert "Start the newsletter?" in page.locator("main h1").inner_text()
    assert _state(site_shell, active) == "False"

    with page.expect_navigation():
        page.get_by_role("button", name="Yes, subscribe me").click()
    assert "You are subscribed" in page.locator("main h1").inner_text()
    assert _state(site_shell, active) == "True"
    page.close()


def test_a_correction_alert_link_opened_by_a_scanner_confirms_nothing(
    browser, site_url, site_shell, inbox
):
    """Correction alert: fetched link, nothing; button, on; one-click ends it."""
    address = "scanned-alert@example.org"
    alert = (
        "from byline.provenance.models import CorrectionAlert\n"
        f"a = CorrectionAlert.objects.get(email='{address}')\n"
    )
    page = browser.new_page()
    page.goto(site_url + PUTIN_ARTICLE)
    page.locator("#alert-email").fill(address)
    with page.expect_navigation():
        page.get_by_role("button", name="Notify me").click()
    link = _link(inbox, address, r"http://\S+/provenance/alerts/confirm/\S+/")

    scanner = browser.new_context()
    assert scanner.request.get(link).status == 200
    page.goto(link)
    assert _state(site_shell, alert + "print(a.active)") == "False"
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, email me").click()
    assert "You are signed up" in page.locator("main h1").inner_text()
    assert _state(site_shell, alert + "print(a.active)") == "True"

    unsubscribe = _state(
        site_shell,
        alert + "from django.urls import reverse\n"
        "from byline.provenance.alerts import make_token\n"
        "print(reverse('correction_alert_unsubscribe',"
        " args=[make_token('end', a.pk)]))",
    )
    # What a mail provider's one-click button does: POST, no cookie, no page.
    response = scanner.request.post(
        site_url + unsubscribe, form={"List-Unsubscribe": "One-Click"}
    )
    assert response.status == 200 and response.text() == "Unsubscribed."
    assert _state(site_shell, alert + "print(a.ended is not None)") == "True"
    scanner.close()
    page.close()
