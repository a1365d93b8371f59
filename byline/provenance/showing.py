"""What an article page shows of its provenance, from one query."""

from dataclasses import dataclass, field

from byline.core.prepared import Prepared
from byline.provenance.models import ProvenanceRecord
from byline.provenance.verification import check_signature


@dataclass
class ArticleProvenance:
    latest: object = None
    valid: bool = False
    corrections: list = field(default_factory=list)
    versions: int = 0


def provenance_of(article):
    """The article's provenance, read once per page object (head and body share it)."""
    cached = article.__dict__.get("_provenance")
    if cached is None:
        cached = article.__dict__["_provenance"] = _read(article)
    return cached


RECORDS = Prepared(
    lambda p: (
        ProvenanceRecord.objects.filter(page_id=p.page)
        .only("seq", "page_id", "event", "jws", "token_hash", "signed_at")
        .order_by("seq")
    )
)


# Signatures found valid, by everything the check reads: the same record checks
# the same way every time, so each process verifies it once (an Ed25519 check
# and a JSON parse per page view otherwise). A record that fails is checked again.
_VALID = {}
_VALID_MAX = 20_000


def _checked(record):
    key = (record.jws, record.seq, record.page_id, record.token_hash)
    if key in _VALID:
        return _VALID[key]
    check = check_signature(record)
    if check.valid:
        if len(_VALID) >= _VALID_MAX:
            _VALID.clear()
        _VALID[key] = check
    return check


def _read(article):
    records = RECORDS(page=article.pk)
    shown = ArticleProvenance()
    published = [r for r in records if r.event == "published"]
    if not published:
        return shown
    shown.latest, shown.versions = published[-1], len(published)
    check = _checked(shown.latest)
    previous = records[records.index(shown.latest) - 1] if len(records) > 1 else None
    expected_prev = previous.token_hash if previous else ""
    shown.valid = check.valid and shown.latest.payload.get("page_prev") == expected_prev
    for record in published:
        for item in record.payload.get("corrections", []):
            shown.corrections.append({**item, "signed_at": record.signed_at})
    return shown
