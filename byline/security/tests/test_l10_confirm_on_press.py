"""L10: opening a confirmation link confirms nothing; pressing its button does.

Mail scanners fetch every link in a message, so a confirmation on GET let them
subscribe any address to the newsletter or a correction alert. Confirming is a
POST from the page the link opens, as comment subscriptions already do; the
RFC 8058 one-click unsubscribe (a POST from the mail provider, with no cookie,
token or Origin) keeps working.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from byline.newsletter.models import Subscriber
from byline.provenance.models import CorrectionAlert

SAME_SITE = {"Sec-Fetch-Site": "same-origin"}


def path_of(message, pattern):
    return re.search(pattern, message.body).group(0).split("8000", 1)[1]


def scan(path):
    """What a mail scanner does with a link: fetch it, without cookies."""
    scanner = Client(enforce_csrf_checks=True)
    for method in (scanner.head, scanner.get):
        assert method(path).status_code == 200


def press_the_button(client, path):
    page = BeautifulSoup(client.get(path).content, "html.parser")
    form = page.select_one("main form[method=post]")
    assert form.select_one("button[type=submit]") is not None
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    return client.post(form.get("action") or path, fields, headers=SAME_SITE)


@pytest.fixture
def reader():
    return Client(enforce_csrf_checks=True)


def test_a_scanned_newsletter_link_confirms_nothing(reader, db):
    """Fetching the newsletter confirmation link leaves the address unconfirmed."""
    reader.post(
        "/newsletter/",
        {"email": "reader@example.org", "frequency": "daily"},
        headers=SAME_SITE,
    )
    [message] = mail.outbox
    link = path_of(message, r"http://\S+/newsletter/confirm/\S+/")
    scan(link)
    assert not Subscriber.objects.get().active
    assert press_the_button(reader, link).status_code == 200
    assert Subscriber.objects.get().active


def test_a_scanned_correction_alert_link_confirms_nothing(reader, published_article):
    """Fetching the correction-alert confirmation link leaves the alert off."""
    reader.post(
        f"/provenance/alerts/{published_article.pk}/",
        {"email": "reader@example.org", "website": ""},
        headers=SAME_SITE,
    )
    [message] = mail.outbox
    link = path_of(message, r"http://\S+/provenance/alerts/confirm/\S+/")
    scan(link)
    assert not CorrectionAlert.objects.get().active
    assert press_the_button(reader, link).status_code == 200
    assert CorrectionAlert.objects.get().active


def one_click(path):
    """RFC 8058: the mail provider POSTs, with no cookie, token or Origin."""
    return Client(enforce_csrf_checks=True).post(
        path, {"List-Unsubscribe": "One-Click"}
    )


def test_one_click_unsubscribe_from_the_newsletter_still_works(db):
    """A mail provider's one-click POST ends the newsletter."""
    from django.utils import timezone

    from byline.newsletter import signup

    subscriber = Subscriber.objects.create(
        email="r@example.org", confirmed=timezone.now()
    )
    path = signup.unsubscribe_url(subscriber).split("8000", 1)[1]
    response = one_click(path)
    assert response.status_code == 200 and response.content == b"Unsubscribed."
    assert Subscriber.objects.get().unsubscribed is not None


def test_one_click_unsubscribe_from_a_correction_alert_works(published_article):
    """A mail provider's one-click POST ends a correction alert."""
    from django.urls import reverse

    from byline.provenance import alerts

    alert = CorrectionAlert.objects.create(
        email="r@example.org", article=published_article
    )
    alerts.confirm(alert)
    token = alerts.make_token("end", alert.pk)
    response = one_click(reverse("correction_alert_unsubscribe", args=[token]))
    assert response.status_code == 200 and response.content == b"Unsubscribed."
    alert.refresh_from_db()
    assert alert.ended is not None
