"""The windows of moderator alerts: at most one mail per moderator per window of
COMMENTS_ALERT_MINUTES, claimed by a row written before the send
(`notifications.alert_moderators` sends them)."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from byline.comments.models import ModeratorAlert

# A recorded alert still unsent after this long was left by a run that died.
ABANDONED = timedelta(minutes=10)


def window_length():
    return timedelta(minutes=settings.COMMENTS_ALERT_MINUTES)


def window_start(now):
    size = int(window_length().total_seconds())
    start = int(now.timestamp()) // size * size
    return datetime.fromtimestamp(start, UTC)


def told(address):
    """Ids of comments an alert to `address` has told of (sent or failed)."""
    return (
        ModeratorAlert.comments.through.objects.filter(moderatoralert__email=address)
        .filter(Q(moderatoralert__sent__isnull=False) | ~Q(moderatoralert__error=""))
        .values("comment_id")
    )


def claim(address, window, now):
    """This window's alert for `address` if this run is to send it, else None."""
    try:
        with transaction.atomic():
            return ModeratorAlert.objects.create(
                email=address, window=window, created=now
            )
    except IntegrityError:
        pass
    # Taken over only if recorded long ago and never sent; the update is the
    # claim, so of two runs doing this at once one wins.
    abandoned = ModeratorAlert.objects.filter(
        email=address, window=window, sent=None, error="", created__lt=now - ABANDONED
    )
    if abandoned.update(created=now):
        return ModeratorAlert.objects.get(email=address, window=window)
    return None
