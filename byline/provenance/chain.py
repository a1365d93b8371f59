"""Sign a batch of payloads into the log's chain: the part of signing that needs
no database.

Each record's payload names the hash of the log's previous record (`prev`) and
of its article's previous record (`page_prev`), so a batch is signed in order,
one record after another. Everything else a payload holds is worked out before
(records.py), and the chain's start is read from the database there, under the
log's lock. What is left here is pure, which lets an import make its signatures
in another process (signer.py) while it writes the batch's other rows.
"""

from dataclasses import dataclass

from byline.provenance import jws


@dataclass(frozen=True)
class Job:
    """A batch to sign: payloads complete but for `prev` and `page_prev`."""

    key: object  # Ed25519PrivateKey
    kid: str
    prev: str  # hash of the log's last record ("" for an empty log)
    page_prev: dict  # {page id: hash of its last record}, for the batch's pages
    payloads: list


def sign(job):
    """Return [(token, token hash)], one a payload, in order. Fills in each
    payload's `prev` and `page_prev`."""
    prev, page_prev = job.prev, dict(job.page_prev)
    signed = []
    for payload in job.payloads:
        page_id = payload["page_id"]
        payload["prev"] = prev
        payload["page_prev"] = page_prev.get(page_id, "")
        token = jws.sign(payload, job.key, job.kid)
        prev = page_prev[page_id] = jws.token_hash(token)
        signed.append((token, prev))
    return signed
