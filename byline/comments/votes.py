"""Votes on comments: one per account, or per browser and network, per comment.

A vote can be changed (up to down) or withdrawn (the same button again), never
repeated. A browser votes with the reader id an earlier response gave it
(`cookies.reader_id`): a request that has none is asked to confirm its vote on
a page that gives it one (`views.vote`), so no vote is lost and none is cast by
a request that made up its own voter. A browser's vote also records its network,
and each network has one browser vote per comment: clearing cookies, or a
script that keeps none, adds nothing. Accounts vote as themselves.
"""

import ipaddress
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from byline.comments import cookies
from byline.comments.models import Comment, Vote
from byline.comments.signals import comments_changed
from byline.core.clientip import client_ip

VALUES = {"up": 1, "down": -1}
NAMES = {1: "up", -1: "down", 0: None}

COUNTED, CHANGED, WITHDRAWN = "counted", "changed", "withdrawn"
OWN, TAKEN, CONFLICT = "own", "taken", "conflict"


@dataclass(frozen=True)
class Voter:
    key: str  # "user:<id>" or "browser:<reader id>"
    address: str = ""  # the hashed network of a browser; accounts have none


@dataclass(frozen=True)
class Result:
    outcome: str
    vote: int  # the voter's vote now: 1, -1, or 0 for none
    score: int


def voter_for(request):
    """The account or reader behind the request; None for a browser without an id."""
    if request.user.is_authenticated:
        return Voter(f"user:{request.user.pk}")
    reader = cookies.reader_id(request)
    if reader is None:
        return None
    return Voter(f"browser:{reader}", network_hash(client_ip(request)))


def network_hash(ip):
    """The client's network, keyed with the site's secret: an IPv4 address, or
    the /64 of an IPv6 one (what a single line or device is given, RFC 6177)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        network = ip or "unknown"
    else:
        if address.version == 6 and address.ipv4_mapped:
            address = address.ipv4_mapped
        if address.version == 6:
            network = str(ipaddress.ip_network((address, 64), strict=False))
        else:
            network = str(address)
    key = salted_hmac("byline.comments.votes.network", network, algorithm="sha256")
    return key.hexdigest()


def votes_of(voter, comment_ids):
    """Return {comment id: 1 or -1}: how the voter voted on these comments."""
    if voter is None:
        return {}
    rows = Vote.objects.filter(voter=voter.key, comment_id__in=list(comment_ids))
    return dict(rows.values_list("comment_id", "value"))


def _owns(voter, comment):
    return voter.key in (f"user:{comment.user_id}", f"browser:{comment.browser}")


def cast(comment, voter, value):
    """Vote `value` (1 or -1) on the comment; the vote it already has withdraws it."""
    if _owns(voter, comment):
        return Result(OWN, 0, comment.score)
    with transaction.atomic():
        mine = Vote.objects.filter(comment=comment, voter=voter.key).first()
        if mine is None:
            outcome, delta, now = _add(comment, voter, value)
        elif mine.value == value:
            # Compare-and-set: of two simultaneous presses, one changes the row.
            done, _ = Vote.objects.filter(pk=mine.pk, value=value).delete()
            outcome, delta, now = (WITHDRAWN, -value, 0) if done else (CONFLICT, 0, 0)
        else:
            done = Vote.objects.filter(pk=mine.pk, value=mine.value).update(
                value=value, changed=timezone.now()
            )
            outcome, delta, now = (
                (CHANGED, value - mine.value, value) if done else (CONFLICT, 0, 0)
            )
        if delta:
            Comment.objects.filter(pk=comment.pk).update(score=F("score") + delta)
            comments_changed.send(sender=Comment, article_ids=[comment.article_id])
    score = Comment.objects.filter(pk=comment.pk).values_list("score", flat=True)
    return Result(outcome, now, score.first() or 0)


def _add(comment, voter, value):
    others = Vote.objects.filter(comment=comment, address=voter.address)
    if voter.address and others.exists():
        return TAKEN, 0, 0
    try:
        with transaction.atomic():
            Vote.objects.create(
                comment=comment, voter=voter.key, address=voter.address, value=value
            )
    except IntegrityError:  # a simultaneous vote from this browser or network
        return CONFLICT, 0, 0
    return COUNTED, value, value
