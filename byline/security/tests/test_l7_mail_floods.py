"""L7: mail anyone can ask for cannot be sent again and again to one address,
and held comments reach moderators as a digest, not one mail each.

The review's attack: "Email me my comments" and subscription confirmations
were limited per requesting address only, so requests from many addresses
(or many articles) mailed one inbox without end; every held comment mailed
every moderator.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from byline.comments import alert_windows, posting

RECIPIENT = "victim@example.org"


@pytest.fixture
def strangers(settings):
    """Requests from ever new addresses, so no per-address limit applies."""
    settings.RATE_LIMIT_POSTS = (10**6, 60)
    settings.COMMENTS_IP_LIMIT = (10**6, 60)
    settings.MAIL_RECIPIENT_LIMIT = (3, 24 * 60 * 60)
    counter = iter(range(1, 10**6))

    def post(url, data):
        n = next(counter)
        return Client().post(
            url,
            data,
            REMOTE_ADDR=f"10.{n // 65536}.{n // 256 % 256}.{n % 256}",
            HTTP_SEC_FETCH_SITE="same-origin",
        )

    return post


def to_victim():
    return [m for m in mail.outbox if m.to == [RECIPIENT]]


def test_my_comments_links_to_one_address_stop_at_the_recipient_limit(
    strangers, published_article, django_capture_on_commit_callbacks
):
    """Twenty requests from twenty addresses: three links, not twenty."""
    from byline.comments.models import Comment

    Comment.objects.create(
        article=published_article,
        depth=1,
        name="Victim",
        email=RECIPIENT,
        text="Mine.",
        status=Comment.Status.APPROVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            answer = strangers("/comments/mine/", {"email": RECIPIENT})
            assert answer.status_code == 302  # the same answer every time
    assert len(to_victim()) == 3


def test_confirmations_of_every_list_share_one_recipient_limit(
    strangers, make_article, django_capture_on_commit_callbacks
):
    """Comment subscriptions, correction alerts and the newsletter, each on
    many articles: three confirmations reach the address in all."""
    articles = [make_article(f"Story {n}") for n in range(6)]
    with django_capture_on_commit_callbacks(execute=True):
        for article in articles:
            strangers(
                f"/comments/article/{article.pk}/subscribe/", {"email": RECIPIENT}
            )
            strangers(f"/provenance/alerts/{article.pk}/", {"email": RECIPIENT})
        strangers("/newsletter/", {"email": RECIPIENT, "frequency": "daily"})
    assert len(to_victim()) == 3


@pytest.fixture
def moderators(comment_settings, settings):
    settings.COMMENTS_ALERT_MINUTES = 60
    comment_settings.moderator_emails = "desk@example.org\nchief@example.org"
    comment_settings.save()
    return ["desk@example.org", "chief@example.org"]


@pytest.fixture
def start():
    """A moment one minute into a window, so a test's times share it."""
    return alert_windows.window_start(timezone.now()) + timedelta(minutes=1)


@pytest.fixture
def comment_settings(home):
    from wagtail.models import Site

    from byline.comments.models import CommentSettings

    return CommentSettings.for_site(Site.objects.get(is_default_site=True))


def hold(article, n):
    from byline.comments.models import Comment

    comment = Comment.objects.create(
        article=article,
        depth=1,
        name=f"Spammer {n}",
        email=f"s{n}@example.org",
        text=f"Held comment number {n}.",
        status=Comment.Status.PENDING,
    )
    Comment.objects.filter(pk=comment.pk).update(root=comment)
    posting.announce_new(comment)  # as `posting.submit` does
    return comment


def alerts_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_a_burst_of_held_comments_is_one_mail_per_moderator(
    moderators, published_article, django_capture_on_commit_callbacks
):
    """Twenty-five held comments in a window: one mail each, listing them all."""
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(25):
            hold(published_article, n)
    for address in moderators:
        (alert,) = alerts_to(address)
        assert "25 comments awaiting review" in alert.subject
        assert "Held comment number 24." in alert.body
    assert all(len(m.to) == 1 for m in mail.outbox)  # no one sees the others


def test_comments_held_after_the_mail_come_in_the_next_window(
    moderators, published_article, start
):
    """Nothing is lost and nothing is told twice: late comments, next window."""
    from byline.comments import notifications

    hold(published_article, 1)
    hold(published_article, 2)
    assert notifications.alert_moderators(now=start) is None
    assert len(alerts_to("desk@example.org")) == 1
    minute = timedelta(minutes=1)
    assert notifications.alert_moderators(now=start + minute) is None  # nothing new
    hold(published_article, 3)
    again = notifications.alert_moderators(now=start + 2 * minute)
    assert again == alert_windows.window_start(start) + timedelta(minutes=60)
    assert len(alerts_to("desk@example.org")) == 1  # not twice in a window
    notifications.alert_moderators(now=again + minute)
    first, second = alerts_to("desk@example.org")
    assert "Held comment number 3." in second.body
    assert "3 comments awaiting review" in second.subject  # the whole queue
    notifications.alert_moderators(now=again + 2 * minute)
    assert len(alerts_to("desk@example.org")) == 2


def test_a_moderator_alert_is_sent_once_even_after_a_crash(
    moderators, published_article, start
):
    """Recorded before sending: a run that died mid-way is finished, once."""
    from byline.comments import notifications
    from byline.comments.models import ModeratorAlert

    hold(published_article, 1)
    # A run that recorded its alerts and died before sending them.
    for address in moderators:
        ModeratorAlert.objects.create(
            email=address, window=alert_windows.window_start(start), created=start
        )
    notifications.alert_moderators(now=start + timedelta(minutes=1))
    assert mail.outbox == []  # it may still be sending: not twice
    later = start + alert_windows.ABANDONED + timedelta(minutes=1)
    notifications.alert_moderators(now=later)
    assert len(mail.outbox) == 2  # taken over, one each
    notifications.alert_moderators(now=later + timedelta(minutes=1))
    notifications.alert_moderators(now=later + timedelta(hours=2))
    assert len(alerts_to("desk@example.org")) == 1
