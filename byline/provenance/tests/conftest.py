import pytest


def allow_rewriting_records(cursor):
    """Step around the append-only trigger, as an attacker with the database could."""
    from django.db import connection

    if connection.vendor == "sqlite":
        cursor.execute("DROP TRIGGER provenance_provenancerecord_append_only")
    else:
        cursor.execute("ALTER TABLE provenance_provenancerecord DISABLE TRIGGER USER")


def forge_signature(article):
    """Rewrite the signature of the article's record, as a forger would."""
    from django.db import connection

    from byline.provenance.models import ProvenanceRecord

    record = ProvenanceRecord.objects.get(page_id=article.pk)
    forged = record.jws[:-4] + ("AAAA" if not record.jws.endswith("AAAA") else "BBBB")
    with connection.cursor() as cursor:
        allow_rewriting_records(cursor)
        cursor.execute("UPDATE provenance_provenancerecord SET jws = %s", [forged])


@pytest.fixture
def verifier():
    from byline.provenance.tool import load_verifier

    return load_verifier()


@pytest.fixture
def records_of():
    from byline.provenance.models import ProvenanceRecord

    def read(article):
        return list(ProvenanceRecord.objects.filter(page_id=article.pk))

    return read


def append_record(article, *, key=None, kid=None, alg=None, version=2, **changes):
    """Sign and store the article's next record by hand, as the signer of payload
    `version` would (or a forger holding `key`); `changes` override fields."""
    from django.utils import timezone

    from byline.news.listings import authors_of
    from byline.provenance import jws, keys
    from byline.provenance.canonical import (
        SHOWN_FIELDS,
        article_text,
        content_sha256,
        isoformat,
        shown_fields,
    )
    from byline.provenance.models import ProvenanceRecord

    last = ProvenanceRecord.objects.order_by("-seq").first()
    mine = ProvenanceRecord.objects.filter(page_id=article.pk).order_by("-seq").first()
    if key is None:
        key, kid = keys.signing_key()
    signed_at = changes.pop("signed_at", None) or timezone.now()
    fields = shown_fields(article, authors_of(article))
    payload = {
        "site": article.get_site().root_url,
        "url": article.get_full_url(),
        "page_id": article.pk,
        "revision_id": article.latest_revision_id,
        "seq": last.seq + 1 if last else 1,
        "event": "published",
        "signed_at": isoformat(signed_at),
        **{name: fields[name] for name in SHOWN_FIELDS[version]},
        "content_sha256": content_sha256(article_text(article)),
        "corrections": [],
        "prev": last.token_hash if last else "",
        "page_prev": mine.token_hash if mine else "",
    }
    if version > 1:
        payload["v"] = version
    payload.update(changes)
    header = jws.canonical_json({"alg": alg or jws.ALGORITHM, "kid": kid, "typ": "JWT"})
    signing_input = f"{jws.b64url(header)}.{jws.b64url(jws.canonical_json(payload))}"
    token = f"{signing_input}.{jws.b64url(key.sign(signing_input.encode('ascii')))}"
    return ProvenanceRecord.objects.create(
        seq=payload["seq"],
        page_id=article.pk,
        revision_id=article.latest_revision_id,
        event="published",
        jws=token,
        token_hash=jws.token_hash(token),
        kid=kid,
        content=article_text(article),
        signed_at=signed_at,
    )


def verify_served(verifier, client, article, html=None):
    """Run the standalone verifier on what the site serves now (through the test
    client), the article's HTML replaced by `html` when given."""
    log = client.get("/provenance/log.json?from=1&limit=500").json()

    def read_log(start, limit):
        window = dict(log)
        window["records"] = [
            r for r in log["records"] if start <= r["seq"] < start + limit
        ]
        return window

    return verifier.verify(
        "http://testserver" + article.url,
        html if html is not None else client.get(article.url).content.decode(),
        client.get(article.url + "provenance.json").json(),
        client.get("/.well-known/jwks.json").json(),
        read_log,
    )


def server_mark(client, article):
    """The article page's provenance mark as the server rendered it: (valid, text)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    mark = soup.select_one("[data-provenance-mark]")
    return "is-valid" in mark["class"], mark.get_text(" ", strip=True)


def sign_again(article, key, kid):
    """Append a copy of the article's latest record, signed now with `key`: a
    good signature over what the page shows, as a forger holding the key makes."""
    from django.utils import timezone

    from byline.provenance import jws
    from byline.provenance.models import ProvenanceRecord

    mine = ProvenanceRecord.objects.filter(page_id=article.pk).order_by("-seq").first()
    last = ProvenanceRecord.objects.order_by("-seq").first()
    now = timezone.now()
    payload = {
        **mine.payload,
        "seq": last.seq + 1,
        "prev": last.token_hash,
        "page_prev": mine.token_hash,
        "signed_at": now.isoformat().replace("+00:00", "Z"),
        "corrections": [],
    }
    header = jws.canonical_json({"alg": jws.parts(mine.jws)[0]["alg"], "kid": kid})
    signing_input = f"{jws.b64url(header)}.{jws.b64url(jws.canonical_json(payload))}"
    token = f"{signing_input}.{jws.b64url(key.sign(signing_input.encode('ascii')))}"
    return ProvenanceRecord.objects.create(
        seq=payload["seq"],
        page_id=article.pk,
        revision_id=mine.revision_id,
        event="published",
        jws=token,
        token_hash=jws.token_hash(token),
        kid=kid,
        content=mine.content,
        signed_at=now,
    )
