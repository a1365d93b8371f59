"""M7: typing a trusted commenter's name and address earns none of their trust.

The review posted as a commenter with approved comments, using only their name
and address, and was published at once. Trust now counts only comments the
request proves to be the poster's own: an account's, an address confirmed by a
mailed link in this browser, or comments this very browser wrote.
"""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from wagtail.models import Site

from byline.comments.models import Comment, CommentSettings, Subscription
from byline.comments.tests.conftest import served_token

ANA = {"name": "Ana Trusted", "email": "ana@example.org"}


@pytest.fixture(autouse=True)
def open_comments(home):
    settings = CommentSettings.for_site(Site.objects.get(is_default_site=True))
    settings.close_after_days = 0
    settings.save()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _post(browser, article, text, **who):
    data = {**(who or ANA), "text": text, "ts": served_token(), "website": ""}
    return browser.post(f"/comments/article/{article.pk}/post/", data)


@pytest.fixture
def ana(published_article):
    """Ana's browser, whose first comment a moderator approved."""
    browser = Client()
    _post(browser, published_article, "Ana's first, reviewed.")
    first = Comment.objects.get()
    first.status = Comment.Status.APPROVED
    first.save()
    return browser


def _latest():
    return Comment.objects.latest("pk")


def test_posting_as_a_trusted_commenter_from_another_browser_is_held(
    ana, published_article
):
    """Eve types Ana's name and address: held, while Ana's own browser publishes."""
    _post(ana, published_article, "Ana again, from her browser.")
    assert _latest().status == Comment.Status.APPROVED

    _post(Client(), published_article, "Eve, pretending to be Ana.")
    forged = _latest()
    assert (forged.status, forged.moderation_note) == (
        Comment.Status.PENDING,
        "address not confirmed in this browser",
    )
    page = Client().get(published_article.url).content.decode()
    assert "pretending" not in page


def test_a_made_up_confirmation_cookie_proves_nothing(ana, published_article):
    """A byline_confirmed cookie not signed by the site is ignored."""
    eve = Client()
    eve.cookies["byline_confirmed"] = "0123456789abcdef0123456789abcdef"
    _post(eve, published_article, "Eve with a made-up cookie.")
    assert _latest().status == Comment.Status.PENDING


def test_the_address_owner_is_asked_and_her_yes_publishes(
    ana, published_article, on_commit
):
    """Held as unproven, the address is mailed; its owner's yes publishes it."""
    mail.outbox.clear()
    with on_commit():
        _post(Client(), published_article, "Ana on her phone.")
    held = _latest()
    (asked,) = [m for m in mail.outbox if m.to == [ANA["email"]]]
    assert "Ana on her phone." in asked.body
    link = re.search(r"http://\S+(/comments/address/\S+/)", asked.body).group(1)

    phone = Client()
    page = BeautifulSoup(phone.get(link).content, "html.parser")
    assert "Ana on her phone." in page.select_one(".comment-text").get_text()
    with on_commit():
        answer = phone.post(link)
    assert answer.status_code == 302
    assert answer["Location"].endswith(f"#comment-{held.pk}")
    held.refresh_from_db()
    assert held.status == Comment.Status.APPROVED

    _post(phone, published_article, "Ana, phone now known.")
    assert _latest().status == Comment.Status.APPROVED
    _post(Client(), published_article, "Eve still guessing.")
    assert _latest().status == Comment.Status.PENDING


def test_the_address_is_asked_at_most_once_an_hour(
    ana, published_article, on_commit, settings
):
    """A stranger posting again and again as Ana sends her one mail, not a flood."""
    settings.COMMENTS_IP_LIMIT = (100, 300)
    settings.COMMENTS_EMAIL_LIMIT = (100, 3600)
    mail.outbox.clear()
    for i in range(5):
        with on_commit():
            _post(Client(), published_article, f"Impersonation number {i}.")
    assert [m.to for m in mail.outbox if "Did you write" in m.subject] == [
        [ANA["email"]]
    ]


def test_a_browser_that_confirmed_a_subscription_is_the_owners(ana, published_article):
    """Pressing a mailed subscription confirmation proves the address there."""
    from byline.comments import tokens

    subscription = Subscription.objects.create(
        email=ANA["email"], kind="article", article=published_article
    )
    tablet = Client()
    _post(tablet, published_article, "Ana on her tablet, not yet proven.")
    assert _latest().status == Comment.Status.PENDING
    tablet.post(
        f"/comments/subscriptions/confirm/{tokens.make('confirm', subscription.pk)}/"
    )
    _post(tablet, published_article, "Ana on her tablet.")
    assert _latest().status == Comment.Status.APPROVED
