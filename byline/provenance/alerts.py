"""Correction alerts: who asked to hear of an article's corrections, and telling them.

An alert mail goes out when an article is republished with a correction note or
with changed text; a republish that changes nothing readers see sends nothing.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from byline.core import optin, ratelimit
from byline.provenance.models import (
    AlertDelivery,
    CorrectionAlert,
    CorrectionKind,
    ProvenanceRecord,
)

logger = logging.getLogger(__name__)
CONFIRM_DAYS = 3
# A stranger can type anyone's address: a confirmation is not resent sooner.
RESEND_AFTER = timedelta(hours=1)
TOKEN_NAMESPACE = "byline.provenance.alerts"


def make_token(purpose, alert_id):
    return optin.make_token(TOKEN_NAMESPACE, purpose, alert_id)


def read_token(purpose, token, max_days=None):
    """The alert id the link was made for, or None if forged or expired."""
    return optin.read_token(TOKEN_NAMESPACE, purpose, token, max_days)


def subscribe(email, article):
    """Start or continue an alert; return (alert, confirmation mail needed)."""
    email = email.strip().lower()
    current = (
        CorrectionAlert.objects.filter(email=email, article=article, ended=None)
        .order_by("-created")
        .first()
    )
    if current is None:
        return CorrectionAlert.objects.create(email=email, article=article), True
    if current.confirmed:
        return current, False
    recently = current.confirmation_sent and (
        timezone.now() - current.confirmation_sent < RESEND_AFTER
    )
    return current, not recently


def confirm(alert):
    if alert.confirmed is None and alert.ended is None:
        alert.confirmed = timezone.now()
        alert.save(update_fields=["confirmed"])


def end(alert):
    if alert.ended is None:
        alert.ended = timezone.now()
        alert.save(update_fields=["ended"])


def send_confirmation(alert_id):
    alert = (
        CorrectionAlert.objects.select_related("article")
        .filter(pk=alert_id, confirmed=None, ended=None)
        .first()
    )
    if alert is None or not ratelimit.allow_mail_to(alert.email):
        return
    token = make_token("confirm", alert.pk)
    optin.send_pair(
        alert.email,
        gettext("Confirm: tell me when this article is corrected"),
        "provenance/mail/alert_confirm",
        {
            "article": alert.article,
            "confirm_url": optin.absolute(
                reverse("correction_alert_confirm", args=[token])
            ),
            "days": CONFIRM_DAYS,
        },
    )
    CorrectionAlert.objects.filter(pk=alert.pk).update(confirmation_sent=timezone.now())


def change_of(record):
    """(notes, words changed?) of a republication, or None if readers see no change."""
    if record.event != "published":
        return None
    previous = (
        ProvenanceRecord.objects.filter(
            page_id=record.page_id, seq__lt=record.seq, event="published"
        )
        .order_by("-seq")
        .only("content")
        .first()
    )
    if previous is None:
        return None
    notes = record.payload.get("corrections", [])
    changed = previous.content != record.content
    return (notes, changed) if notes or changed else None


def kind_label(note):
    # The kind's name in the site's language; a kind since removed, as stored.
    kind = note.get("kind", "")
    return CorrectionKind(kind).label if kind in CorrectionKind.values else kind


def notify(seq):
    """Mail every confirmed alert of the article about the record `seq`, once."""
    record = ProvenanceRecord.objects.filter(seq=seq).first()
    change = change_of(record) if record else None
    if change is None:
        return 0
    notes, _ = change
    alerts = CorrectionAlert.objects.filter(
        article_id=record.page_id, confirmed__isnull=False, ended=None
    ).select_related("article")
    sent = 0
    for alert in alerts:
        try:
            with transaction.atomic():
                delivery, _ = AlertDelivery.objects.get_or_create(alert=alert, seq=seq)
        except IntegrityError:  # another worker took it
            continue
        if delivery.sent is not None:
            continue
        unsubscribe = optin.absolute(
            reverse("correction_alert_unsubscribe", args=[make_token("end", alert.pk)])
        )
        optin.send_pair(
            alert.email,
            (
                gettext("Corrected: %(title)s")
                if notes
                else gettext("Updated: %(title)s")
            )
            % {"title": alert.article.title},
            "provenance/mail/correction",
            {
                "article": alert.article,
                "notes": [{**note, "label": kind_label(note)} for note in notes],
                "article_url": optin.absolute(alert.article.url),
                "versions_url": optin.absolute(alert.article.url + "provenance/"),
                "unsubscribe_url": unsubscribe,
            },
            headers=optin.one_click_headers(unsubscribe),
        )
        AlertDelivery.objects.filter(pk=delivery.pk).update(sent=timezone.now())
        sent += 1
    return sent
