"""Sign-up with double opt-in: what a sign-up does, the mailed links, the press.

The sign-up form takes no CSRF token (it is in every cached page's footer), so
anyone, from any site, can post any address with any choices. A post therefore
changes nothing about an address it names: it only mails the address a signed
link carrying the choices asked for. Whoever reads that mail opens the link,
sees the choices, and applies them with a button (a POST: mail scanners fetch
links but press nothing). That one path confirms a new address, brings back
one that unsubscribed, and changes the choices of a subscriber.
"""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from byline.core import optin, ratelimit
from byline.core.privacy import public
from byline.news.models import SectionPage
from byline.newsletter.models import Frequency, Subscriber

CONFIRM_DAYS = 3
# A stranger can type anyone's address: a link is not mailed again sooner.
RESEND_AFTER = timedelta(hours=1)
TOKEN_NAMESPACE = "byline.newsletter"


def make_token(purpose, value):
    return optin.make_token(TOKEN_NAMESPACE, purpose, value)


def read_token(purpose, token, max_days=None):
    return optin.read_token(TOKEN_NAMESPACE, purpose, token, max_days)


def unsubscribe_url(subscriber):
    return optin.absolute(
        reverse("newsletter_unsubscribe", args=[make_token("end", subscriber.pk)])
    )


class Choices:
    """A frequency and sections (none: every section), as a signed link carries."""

    def __init__(self, frequency, section_ids=()):
        self.frequency = frequency
        self.section_ids = sorted({int(pk) for pk in section_ids})

    @classmethod
    def of(cls, subscriber):
        return cls(
            subscriber.frequency, subscriber.sections.values_list("pk", flat=True)
        )

    def as_value(self):
        return {"f": self.frequency, "s": self.section_ids}

    @classmethod
    def from_value(cls, value):
        if not isinstance(value, dict) or value.get("f") not in Frequency.values:
            return None
        return cls(value["f"], value.get("s") or [])

    def frequency_label(self):
        return Frequency(self.frequency).label

    def sections(self):
        """The chosen sections still published and public, in menu order."""
        return public(
            SectionPage.objects.live().filter(pk__in=self.section_ids)
        ).order_by("path")


def subscribe(email, frequency, sections):
    """Take a sign-up; return (subscriber, choices to mail) or (subscriber, None).

    A new address is stored unconfirmed with its choices. A known address keeps
    its state and choices whatever was posted: the new choices only travel in
    the mailed link. Nothing is mailed to an address mailed within the hour.
    """
    email = email.strip().lower()
    subscriber, created = Subscriber.objects.get_or_create(
        email=email, defaults={"frequency": frequency}
    )
    if created:
        subscriber.sections.set(sections)
    elif subscriber.confirmation_sent and (
        timezone.now() - subscriber.confirmation_sent < RESEND_AFTER
    ):
        return subscriber, None
    return subscriber, Choices(frequency, [section.pk for section in sections])


def choices_token(subscriber, choices):
    return make_token("confirm", {"id": subscriber.pk, **choices.as_value()})


def read_choices_token(token):
    """(subscriber, choices) of a link made by `choices_token`, or None."""
    value = read_token("confirm", token, CONFIRM_DAYS)
    if isinstance(value, int):
        # Links mailed before choices travelled in them: the stored choices.
        subscriber = Subscriber.objects.filter(pk=value).first()
        return (subscriber, Choices.of(subscriber)) if subscriber else None
    if not isinstance(value, dict) or not isinstance(value.get("id"), int):
        return None
    subscriber = Subscriber.objects.filter(pk=value["id"]).first()
    choices = Choices.from_value(value)
    return (subscriber, choices) if subscriber and choices else None


def send_confirmation(subscriber_id, frequency=None, section_ids=None):
    """Mail the address a link to confirm `frequency` and `section_ids` (default:
    the stored choices); a subscriber's mail asks to change, not to confirm."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not ratelimit.allow_mail_to(subscriber.email):
        return
    if frequency is None:
        choices = Choices.of(subscriber)
    else:
        choices = Choices(frequency, section_ids or [])
    optin.send_pair(
        subscriber.email,
        gettext("Change your newsletter")
        if subscriber.active
        else gettext("Confirm your newsletter subscription"),
        "newsletter/mail/confirm",
        {
            "subscriber": subscriber,
            "change": subscriber.active,
            "frequency": choices.frequency_label().lower(),
            "sections": [section.title for section in choices.sections()],
            "confirm_url": optin.absolute(
                reverse("newsletter_confirm", args=[choices_token(subscriber, choices)])
            ),
            "days": CONFIRM_DAYS,
        },
    )
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent=timezone.now())


def apply(subscriber, choices):
    """The button on the mailed link's page: start, restart or change."""
    subscriber.frequency = choices.frequency
    if subscriber.confirmed is None or subscriber.unsubscribed is not None:
        subscriber.confirmed = timezone.now()
    subscriber.unsubscribed = None
    subscriber.save(update_fields=["frequency", "confirmed", "unsubscribed"])
    subscriber.sections.set(choices.sections())


def unsubscribe(subscriber):
    if subscriber.unsubscribed is None:
        subscriber.unsubscribed = timezone.now()
        subscriber.save(update_fields=["unsubscribed"])
