"""Server-side checks of stored records: what the reader page and the article's
mark say when the reader's browser cannot verify for itself.

Outside verifiers should not trust this: `tools/verify_article.py` repeats every
check over HTTP with only the published keys.
"""

from dataclasses import dataclass, field

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


def check_signature(record, public_keys=None):
    """Check one record's signature and that its payload is the row's."""
    check = Check(record.seq)
    try:
        header = jws.parts(record.jws)[0]
        check.kid = header.get("kid", "")
        public_keys = public_keys or keys.public_keys([check.kid])
        _, payload = jws.verify(record.jws, public_keys)
    except jws.InvalidJWS as exc:
        check.problems.append(str(exc))
        return check
    if payload.get("seq") != record.seq or payload.get("page_id") != record.page_id:
        check.problems.append("the signed payload names another record")
    if jws.token_hash(record.jws) != record.token_hash:
        check.problems.append("the stored hash is not the hash of this record")
    return check


def check_records(records):
    """Check an article's records, oldest first: signatures and both chains."""
    kids = {jws.parts(r.jws)[0].get("kid", "") for r in records}
    public_keys = keys.public_keys(list(kids))
    before = dict(
        ProvenanceRecord.objects.filter(
            seq__in=[r.seq - 1 for r in records]
        ).values_list("seq", "token_hash")
    )
    checks, page_prev = [], ""
    for record in records:
        check = check_signature(record, public_keys)
        if check.valid:
            payload = record.payload
            if payload.get("page_prev") != page_prev:
                check.problems.append("the article's previous record is missing")
            if payload.get("prev") != before.get(record.seq - 1, ""):
                check.problems.append("the site-wide log is broken before this record")
        page_prev = record.token_hash
        checks.append(check)
    return checks
