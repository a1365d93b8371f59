"""M9: the CSRF-exempt newsletter form cannot change a subscriber's choices.

The review changed a confirmed subscriber's frequency and sections from another
site, knowing only the address. New choices for a known address now take effect
only through the mailed, signed link, on a button press on the page it opens.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.utils import timezone

from byline.newsletter.models import Subscriber

EMAIL = "reader@example.org"


def forged_sign_up(email, frequency, sections=()):
    """Post the footer form from another site: no cookie, no token, foreign Origin."""
    return Client(enforce_csrf_checks=True).post(
        "/newsletter/",
        {"email": email, "frequency": frequency, "sections": list(sections)},
        headers={"Origin": "https://attacker.example", "Sec-Fetch-Site": "cross-site"},
    )


def link_in(message):
    url = re.search(r"http://\S+/newsletter/confirm/\S+/", message.body).group(0)
    return url.split("8000", 1)[1]


def press_the_button(client, path):
    """Submit the form of the page the mailed link opens, as the reader's browser."""
    page = BeautifulSoup(client.get(path).content, "html.parser")
    form = page.select_one("main form[method=post]")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    return client.post(
        form.get("action") or path, fields, headers={"Sec-Fetch-Site": "same-origin"}
    )


@pytest.fixture
def confirmed(db):
    return Subscriber.objects.create(
        email=EMAIL, frequency="daily", confirmed=timezone.now()
    )


def test_a_forged_sign_up_does_not_change_a_confirmed_subscribers_choices(
    confirmed, other_section
):
    """A cross-site post naming a subscriber's address changes nothing at once."""
    response = forged_sign_up(EMAIL, "weekly", [other_section.pk])
    assert response.status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.frequency == "daily"
    assert list(confirmed.sections.all()) == []
    assert confirmed.active


def test_new_choices_are_mailed_and_applied_only_by_the_button(
    confirmed, other_section
):
    """The address's owner reads what was asked, opens the link, and presses."""
    forged_sign_up(EMAIL, "weekly", [other_section.pk])
    [message] = mail.outbox
    assert message.to == [EMAIL]
    # The mail says what was asked, in both parts.
    for body in (message.body, message.alternatives[0][0]):
        assert "weekly" in body and other_section.title in body
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(link_in(message))
    assert page.status_code == 200
    text = BeautifulSoup(page.content, "html.parser").select_one("main").get_text()
    assert "Weekly" in text and other_section.title in text
    confirmed.refresh_from_db()
    assert confirmed.frequency == "daily"  # opening the link applied nothing
    done = press_the_button(reader, link_in(message))
    assert done.status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.frequency == "weekly"
    assert list(confirmed.sections.values_list("pk", flat=True)) == [other_section.pk]


def test_the_answer_is_the_same_whatever_the_addresss_state(db, other_section):
    """The sign-up page tells nothing of whether an address is known."""
    now = timezone.now()
    states = {
        "new@example.org": None,
        "pending@example.org": {"confirmation_sent": now},
        "active@example.org": {"confirmed": now},
        "gone@example.org": {"confirmed": now, "unsubscribed": now},
    }
    for email, fields in states.items():
        if fields is not None:
            Subscriber.objects.create(email=email, **fields)
    answers = set()
    for email in states:
        response = forged_sign_up(email, "weekly", [other_section.pk])
        main = BeautifulSoup(response.content, "html.parser").select_one("main")
        answers.add((response.status_code, str(main).replace(email, "ADDRESS")))
    assert len(answers) == 1


def test_a_pending_address_keeps_the_choices_its_owner_confirms(db, other_section):
    """A stranger's later sign-up cannot swap the choices a confirmation applies."""
    owner = Client(enforce_csrf_checks=True)
    owner.post(
        "/newsletter/",
        {"email": EMAIL, "frequency": "daily"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    [confirmation] = mail.outbox
    Subscriber.objects.filter(email=EMAIL).update(confirmation_sent=None)
    forged_sign_up(EMAIL, "weekly", [other_section.pk])
    press_the_button(owner, link_in(confirmation))
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.active
    assert subscriber.frequency == "daily"
    assert list(subscriber.sections.all()) == []
