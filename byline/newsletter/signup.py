"""Sign-up with double opt-in, confirmation and unsubscribe links."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from byline.core import optin
from byline.newsletter.models import Subscriber

CONFIRM_DAYS = 3
# A stranger can type anyone's address: a confirmation is not resent sooner.
RESEND_AFTER = timedelta(hours=1)
TOKEN_NAMESPACE = "byline.newsletter"


def make_token(purpose, subscriber_id):
    return optin.make_token(TOKEN_NAMESPACE, purpose, subscriber_id)


def read_token(purpose, token, max_days=None):
    return optin.read_token(TOKEN_NAMESPACE, purpose, token, max_days)


def unsubscribe_url(subscriber):
    return optin.absolute(
        reverse("newsletter_unsubscribe", args=[make_token("end", subscriber.pk)])
    )


def subscribe(email, frequency, sections):
    """Start, renew or change a subscription; return (subscriber, mail needed).

    A confirmed subscriber who signs up again keeps their confirmation: the new
    choices apply at once, and nothing is mailed (no address probing either way).
    """
    email = email.strip().lower()
    subscriber, created = Subscriber.objects.get_or_create(
        email=email, defaults={"frequency": frequency}
    )
    if subscriber.unsubscribed:
        subscriber.unsubscribed = subscriber.confirmed = None
        subscriber.confirmation_sent = None
    subscriber.frequency = frequency
    subscriber.save()
    subscriber.sections.set(sections)
    if subscriber.confirmed:
        return subscriber, False
    recently = subscriber.confirmation_sent and (
        timezone.now() - subscriber.confirmation_sent < RESEND_AFTER
    )
    return subscriber, not recently


def send_confirmation(subscriber_id):
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, confirmed=None, unsubscribed=None
    ).first()
    if subscriber is None:
        return
    token = make_token("confirm", subscriber.pk)
    optin.send_pair(
        subscriber.email,
        "Confirm your newsletter subscription",
        "newsletter/mail/confirm",
        {
            "subscriber": subscriber,
            "confirm_url": optin.absolute(reverse("newsletter_confirm", args=[token])),
            "days": CONFIRM_DAYS,
        },
    )
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent=timezone.now())


def confirm(subscriber):
    if subscriber.confirmed is None and subscriber.unsubscribed is None:
        subscriber.confirmed = timezone.now()
        subscriber.save(update_fields=["confirmed"])


def unsubscribe(subscriber):
    if subscriber.unsubscribed is None:
        subscriber.unsubscribed = timezone.now()
        subscriber.save(update_fields=["unsubscribed"])
