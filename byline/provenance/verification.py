"""Server-side checks of stored records: what the reader page and the article's
mark say when the reader's browser cannot verify for itself.

Outside verifiers should not trust this: `tools/verify_article.py` repeats every
check over HTTP with only the published keys.
"""

from dataclasses import dataclass, field
from datetime import datetime

from byline.provenance import jws, keys
from byline.provenance.models import ProvenanceRecord


@dataclass
class Check:
    seq: int
    kid: str = ""
    problems: list = field(default_factory=list)

    @property
    def valid(self):
        return not self.problems


def _kid(token):
    try:
        kid = jws.parts(token)[0].get("kid", "")
    except jws.InvalidJWS:
        return ""
    return kid if isinstance(kid, str) else ""


def check_signature(record, published=None):
    """Check one record's signature, that its key was in use when it says it
    was signed, and that its payload is the row's."""
    check = Check(record.seq)
    try:
        check.kid = _kid(record.jws)
        if published is None:
            published = keys.published([check.kid])
        public = {kid: key.public for kid, key in published.items()}
        _, payload = jws.verify(record.jws, public)
    except jws.InvalidJWS as exc:
        check.problems.append(str(exc))
        return check
    if payload.get("seq") != record.seq or payload.get("page_id") != record.page_id:
        check.problems.append("the signed payload names another record")
    if jws.token_hash(record.jws) != record.token_hash:
        check.problems.append("the stored hash is not the hash of this record")
    signed_at = _instant(payload.get("signed_at"))
    if signed_at is None:
        check.problems.append("the record does not say when it was signed")
    elif not published[check.kid].in_use_at(signed_at):
        # A retired key signs nothing after its end: whoever holds it now
        # (an old backup) cannot add records.
        check.problems.append(
            f"signed at {payload['signed_at']}, outside the time its key was in use"
        )
    elif signed_at != record.signed_at:
        check.problems.append("the stored signing time is not the signed one")
    return check


def _instant(text):
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


def check_records(records):
    """Check an article's records, oldest first: signatures and both chains."""
    published = keys.published({_kid(r.jws) for r in records})
    before = dict(
        ProvenanceRecord.objects.filter(
            seq__in=[r.seq - 1 for r in records]
        ).values_list("seq", "token_hash")
    )
    checks, page_prev = [], ""
    for record in records:
        check = check_signature(record, published)
        if check.valid:
            payload = record.payload
            if payload.get("page_prev") != page_prev:
                check.problems.append("the article's previous record is missing")
            if payload.get("prev") != before.get(record.seq - 1, ""):
                check.problems.append("the site-wide log is broken before this record")
        page_prev = record.token_hash
        checks.append(check)
    return checks
