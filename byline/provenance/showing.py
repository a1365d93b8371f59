"""What an article page shows of its provenance, from one query.

The server's mark is earned like the browser's: the latest record's signature,
its key's time in use, the article's chain, and that the article as stored now
is what the record signed (canonical.differences). A database changed behind
the newsroom's back (type of work, byline, methods…) loses the mark.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from byline.news.listings import authors_of
from byline.provenance.canonical import differences
from byline.provenance.models import ProvenanceRecord
from byline.provenance.verification import check_signature

# How the mark names what differs from the signed record.
LABELS = {
    "text": _("text"),
    "headline": _("headline"),
    "standfirst": _("standfirst"),
    "authors": _("byline"),
    "section": _("section"),
    "type_of_work": _("type of work"),
    "type_of_work_label": _("type of work"),
    "published_at": _("publication time"),
    "updated_at": _("update time"),
    "dateline": _("dateline"),
    "methods": _("how we reported this"),
    "sources": _("sources"),
    "hero_caption": _("picture caption"),
    "hero_credit": _("picture credit"),
    "version": _("record version"),
}


@dataclass
class ArticleProvenance:
    latest: object = None
    problem: str = ""
    corrections: list = field(default_factory=list)
    versions: int = 0

    @property
    def valid(self):
        return self.latest is not None and not self.problem


def provenance_of(article, authors=None):
    """The article's provenance, read once per page object (head and body share
    it); `authors` as the page shows them (read when not given)."""
    cached = article.__dict__.get("_provenance")
    if cached is None:
        if authors is None:
            authors = authors_of(article)
        cached = article.__dict__["_provenance"] = _read(article, authors)
    return cached


# Signatures found valid, by everything the check reads: the same record checks
# the same way every time, so each process verifies it once (an Ed25519 check
# and a JSON parse per page view otherwise). A record that fails is checked again.
_VALID = {}
_VALID_MAX = 20_000


def reset():
    """Forget the signatures this process found valid, as a new process starts."""
    _VALID.clear()


def _checked(record):
    key = (record.jws, record.seq, record.page_id, record.token_hash, record.signed_at)
    if key in _VALID:
        return _VALID[key]
    check = check_signature(record)
    if check.valid:
        if len(_VALID) >= _VALID_MAX:
            _VALID.clear()
        _VALID[key] = check
    return check


def _read(article, authors):
    records = list(
        ProvenanceRecord.objects.filter(page_id=article.pk)
        .only("seq", "page_id", "event", "jws", "token_hash", "signed_at")
        .order_by("seq")
    )
    shown = ArticleProvenance()
    published = [r for r in records if r.event == "published"]
    if not published:
        return shown
    shown.latest, shown.versions = published[-1], len(published)
    shown.problem = _problem(article, authors, records, shown.latest)
    for record in published:
        for item in record.payload.get("corrections", []):
            shown.corrections.append({**item, "signed_at": record.signed_at})
    return shown


def _problem(article, authors, records, latest):
    """What keeps the mark from the page, or ""."""
    if not _checked(latest).valid:
        return _("Signature could not be verified")
    if records[-1] is not latest:
        return _(
            "Not verified: the article was withdrawn after its last signed version"
        )
    previous = records[records.index(latest) - 1] if len(records) > 1 else None
    if latest.payload.get("page_prev") != (previous.token_hash if previous else ""):
        return _("Not verified: a signed version of this article is missing")
    differ = differences(latest.payload, article, authors)
    if differ:
        names = list(dict.fromkeys(str(LABELS.get(name, name)) for name in differ))
        return _("Not verified: this page differs from what we signed (%(what)s)") % {
            "what": ", ".join(names)
        }
    return ""
