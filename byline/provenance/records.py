"""Append signed records to the site-wide log.

Every record is a compact JWS whose payload (RFC 8785 canonical JSON) names the
article, its revision, the SHA-256 of its canonical text, everything else the
page shows of it (canonical.shown_fields), the correction notes published with
it, and two hashes that chain it: `prev`, the hash of the log's previous record,
and `page_prev`, the hash of this article's previous record, so that a record
removed from either list is noticed.

Articles behind a view restriction are never signed; records of articles that
stop being public (made private, withdrawn, deleted) stay in the log, but the
public log shows only their hash (see `public_articles` and views.log).
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Site

from byline.core import bulk_rows
from byline.core.privacy import is_restricted, split_public
from byline.news.listings import authors_of
from byline.news.models import ArticleAuthor, SectionPage
from byline.news.public import public_articles
from byline.provenance import chain, keys
from byline.provenance.canonical import (
    PAYLOAD_VERSION,
    article_sha256,
    article_text,
    isoformat,
    shown_fields,
)
from byline.provenance.models import (
    Event,
    ProvenanceRecord,
    PublishedCorrection,
)
from byline.provenance.updates import stamp_updated

# Any constant: PostgreSQL serialises signers on it (SQLite's IMMEDIATE
# transactions already do).
LOG_LOCK = 0x62796C696E65


@dataclass
class Entry:
    article: object
    event: str = Event.PUBLISHED
    revision_id: int | None = None
    corrections: list = field(default_factory=list)
    text: str | None = None


def is_private(article):
    return is_restricted(article.path)


def new_corrections(article):
    """Correction notes on the article that no earlier record has published."""
    published = set(
        PublishedCorrection.objects.filter(page_id=article.pk).values_list(
            "kind", "note"
        )
    )
    notes = []
    for note in article.correction_notes.all():
        item = (note.kind, note.note.strip())
        if item[1] and item not in published and item not in notes:
            notes.append(item)
    return [{"kind": kind, "note": note} for kind, note in notes]


def record_publication(article, revision_id=None):
    """Sign an article that was just published (called inside its transaction)."""
    if is_private(article):
        return None
    notes = new_corrections(article)
    now = timezone.now()
    stamp_updated(article, revision_id, notes, now)
    entry = Entry(article, Event.PUBLISHED, revision_id, notes)
    return append([entry], now=now)[0]


def record_withdrawal(article):
    """Sign that a published article was taken down."""
    if not ProvenanceRecord.objects.filter(page_id=article.pk).exists():
        return None
    return append([Entry(article, Event.UNPUBLISHED)])[0]


def record_imports(articles, bylines=None):
    """Sign articles written by a bulk import, in one go (`bylines` as in
    start_imports)."""
    with transaction.atomic():
        return start_imports(articles, bylines=bylines).finish()


def start_imports(articles, signer=None, bylines=None):
    """Begin signing articles written by a bulk import, inside its transaction;
    the signatures are made by `signer` (signer.Signer) if it runs, while the
    caller writes the import's other rows. `bylines`: {page id: [Author, …]
    in byline order} of articles whose authors the caller has just written,
    which are not read back. Return the Signing, whose `finish()` stores the
    records."""
    if transaction.get_autocommit():
        raise transaction.TransactionManagementError(
            "start_imports() runs inside the import's transaction"
        )
    _prefetch_bylines(articles, bylines or {})
    shown, _ = split_public(articles)
    entries = [Entry(a, Event.PUBLISHED, a.latest_revision_id) for a in shown]
    return _start(entries, signer=signer)


def _prefetch_bylines(articles, known=None):
    """Authors and sections of many articles in two queries, not two per
    article; the authors of pages in `known` ({page id: [Author, …]}) are
    taken from it."""
    known = known or {}
    by_page = {a.pk: list(known.get(a.pk, ())) for a in articles}
    unknown = [pk for pk in by_page if pk not in known]
    if unknown:
        links = ArticleAuthor.objects.filter(page_id__in=unknown)
        for link in links.select_related("author").order_by("page_id", "sort_order"):
            if link.author not in by_page[link.page_id]:
                by_page[link.page_id].append(link.author)
    sections = SectionPage.objects.in_bulk({a.section_id for a in articles} - {None})
    for article in articles:
        article._provenance_authors = by_page[article.pk]
        if article.section_id in sections:
            article.section = sections[article.section_id]


def lock_log():
    """Serialise signers (and key rotation) until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])


def append(entries, now=None):
    """Sign and store the entries in order, dated `now` (the current time by
    default); return the new records."""
    with transaction.atomic():
        return _start(entries, now).finish()


@dataclass
class Signing:
    """A batch's records, their signatures on the way (chain.py)."""

    records: list  # ProvenanceRecord, all but the token
    corrections: list  # PublishedCorrection
    tokens: object  # () -> [(token, token hash)], one a record

    def finish(self):
        """Store the batch's records, signed; return them."""
        signed = self.tokens() if self.records else []
        for record, (token, token_hash) in zip(self.records, signed, strict=True):
            record.jws, record.token_hash = token, token_hash
        # An import's batch in a few statements (core/bulk_rows.py).
        bulk_rows.create(ProvenanceRecord, self.records)
        bulk_rows.create(PublishedCorrection, self.corrections)
        return self.records


def _start(entries, now=None, signer=None):
    """Read where the chain stands (taking the log's lock until the
    transaction ends), make the entries' records and payloads, and start
    signing them: in `signer`'s process if it runs, or here and now."""
    if not entries:
        return Signing([], [], list)
    lock_log()
    last = ProvenanceRecord.objects.order_by("-seq").only("seq", "token_hash")
    last = last.first()
    seq, prev = (last.seq, last.token_hash) if last else (0, "")
    page_prev = _latest_per_page([e.article.pk for e in entries])
    now = now or timezone.now()
    key, kid = keys.signing_key(now)
    roots = _SiteRoots()
    signed_at = isoformat(now)  # the batch's time, written once
    records, corrections, payloads = [], [], []
    for entry in entries:
        seq += 1
        article = entry.article
        text = entry.text if entry.text is not None else article_text(article)
        site, url = roots.locate(article)
        payload = _payload(entry, seq, now, signed_at)
        payload.update(site=site, url=url, content_sha256=article_sha256(article, text))
        payloads.append(payload)
        records.append(
            ProvenanceRecord(
                seq=seq,
                page_id=article.pk,
                revision_id=entry.revision_id,
                event=entry.event,
                kid=kid,
                content=text,
                signed_at=now,
            )
        )
        corrections += [
            PublishedCorrection(
                seq=seq,
                page_id=article.pk,
                kind=item["kind"],
                note=item["note"],
                headline=article.title[:255],
                url=url,
                signed_at=now,
            )
            for item in entry.corrections
        ]
    job = chain.Job(key, kid, prev, page_prev, payloads)
    if signer is None:
        signed = chain.sign(job)
        return Signing(records, corrections, lambda: signed)
    return Signing(records, corrections, signer.submit(job))


def _latest_per_page(page_ids):
    latest = {}
    rows = (
        ProvenanceRecord.objects.filter(page_id__in=set(page_ids))
        .order_by("seq")
        .values_list("page_id", "token_hash")
    )
    for page_id, token_hash in rows.iterator():
        latest[page_id] = token_hash
    return latest


class _SiteRoots:
    """Site and full URL of each article, with the site table read once per batch
    (Wagtail reads it from the cache for every URL it builds)."""

    def __init__(self):
        # Longest root path first, so a site nested in another's tree wins.
        self.roots = sorted(
            Site.get_site_root_paths(),
            key=lambda root: len(root.root_path),
            reverse=True,
        )

    def locate(self, article):
        for root in self.roots:
            if article.url_path.startswith(root.root_path):
                path = article.url_path[len(root.root_path) - 1 :]
                return root.root_url, root.root_url + path
        return "", article.get_full_url() or ""


def _payload(entry, seq, now, signed_at):
    """The payload of an entry's record but for the chain's hashes (chain.py)."""
    article = entry.article
    return {
        "v": PAYLOAD_VERSION,
        "page_id": article.pk,
        "revision_id": entry.revision_id,
        "seq": seq,
        "event": entry.event,
        "signed_at": signed_at,
        **shown_fields(article, _authors(article), fallback_time=now),
        "corrections": entry.corrections,
    }


def _authors(article):
    cached = getattr(article, "_provenance_authors", None)
    if cached is not None:
        return cached

    return authors_of(article)


def unsigned_articles():
    """Live, public articles that have no record yet (published before signing
    existed, or restored from elsewhere)."""
    signed = ProvenanceRecord.objects.values("page_id")
    return public_articles().exclude(pk__in=signed).order_by("first_published_at", "pk")


def sign_missing(batch_size=500, progress=None):
    """Sign every unsigned live article, in batches; return how many."""
    signed = 0
    while True:
        batch = list(unsigned_articles()[:batch_size])
        if not batch:
            return signed
        entries = record_imports(batch)
        if not entries:  # only private articles are left
            return signed
        signed += len(entries)
        if progress:
            progress(len(entries))
