"""Daily and weekly digests: which period, which articles, one mail per reader.

A digest covers a closed period (yesterday, or last Monday to this Monday, in
the site's time zone); the same run at any time of the day picks the same
period, so running `send_digests` twice, or on two machines, sends nothing twice.
"""

import logging
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import ngettext

from byline.core import optin
from byline.news.public import public_articles
from byline.newsletter import signup
from byline.newsletter.models import Digest, DigestDelivery, Frequency, Subscriber

logger = logging.getLogger(__name__)
MAX_ARTICLES = 25


def period(frequency, now=None):
    """The last closed (start, end) period of this frequency before `now`."""
    now = timezone.localtime(now or timezone.now())
    midnight = timezone.make_aware(datetime.combine(now.date(), time.min))
    if frequency == Frequency.DAILY:
        return midnight - timedelta(days=1), midnight
    monday = midnight - timedelta(days=midnight.weekday())
    return monday - timedelta(days=7), monday


def open_digest(frequency, now=None):
    start, end = period(frequency, now)
    digest, _ = Digest.objects.get_or_create(
        frequency=frequency, period_end=end, defaults={"period_start": start}
    )
    return digest


def recipients(frequency):
    return Subscriber.objects.filter(
        frequency=frequency, confirmed__isnull=False, unsubscribed=None
    )


def articles_for(digest, subscriber):
    articles = public_articles().filter(
        published_at__gte=digest.period_start, published_at__lt=digest.period_end
    )
    section_ids = list(subscriber.sections.values_list("pk", flat=True))
    if section_ids:
        articles = articles.filter(section_id__in=section_ids)
    return list(
        articles.select_related("section")
        .defer("body")
        .order_by("-published_at", "-pk")[:MAX_ARTICLES]
    )


def deliver(digest_id, subscriber_id):
    """Send one subscriber's digest unless it was sent; return what happened."""
    digest = Digest.objects.get(pk=digest_id)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.active:
        return "inactive"
    try:
        with transaction.atomic():
            delivery, _ = DigestDelivery.objects.get_or_create(
                digest=digest, subscriber=subscriber
            )
    except IntegrityError:  # another run is sending it
        return "already sent"
    if delivery.sent is not None:
        return "already sent"
    articles = articles_for(digest, subscriber)
    if articles:
        _send(digest, subscriber, articles)
    DigestDelivery.objects.filter(pk=delivery.pk).update(
        sent=timezone.now(), articles=len(articles)
    )
    return "sent" if articles else "nothing new"


def _send(digest, subscriber, articles):
    unsubscribe = signup.unsubscribe_url(subscriber)
    day = timezone.localtime(digest.period_end - timedelta(seconds=1))
    label = Frequency(digest.frequency).label
    # Django's date format names the month in the site's language; strftime
    # would use the C locale's English.
    values = {"day": format_date(day, "j F Y"), "count": len(articles)}
    if digest.frequency == Frequency.DAILY:
        subject = ngettext(
            "Daily digest, %(day)s: %(count)s article",
            "Daily digest, %(day)s: %(count)s articles",
            len(articles),
        )
    else:
        subject = ngettext(
            "Weekly digest, %(day)s: %(count)s article",
            "Weekly digest, %(day)s: %(count)s articles",
            len(articles),
        )
    optin.send_pair(
        subscriber.email,
        subject % values,
        "newsletter/mail/digest",
        {
            "digest": digest,
            "label": label,
            "day": day,
            "articles": [
                {"article": a, "url": optin.absolute(a.url)} for a in articles
            ],
            "unsubscribe_url": unsubscribe,
        },
        headers=optin.one_click_headers(unsubscribe),
    )
