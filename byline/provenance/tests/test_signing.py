"""Every publication and withdrawal is signed into an append-only, chained log."""

import json

import pytest
import rfc8785
from django.db import connection, transaction
from jwcrypto import jwk, jws

from byline.provenance import jws as our_jws
from byline.provenance import keys
from byline.provenance.canonical import article_text, content_sha256
from byline.provenance.models import (
    AppendOnlyError,
    ProvenanceRecord,
    PublishedCorrection,
    SigningKey,
)
from byline.provenance.tests.conftest import allow_rewriting_records

PAYLOAD_FIELDS = {
    "v", "site", "url", "page_id", "revision_id", "seq", "event", "signed_at",
    "published_at", "updated_at", "headline", "standfirst", "authors", "section",
    "type_of_work", "type_of_work_label", "dateline", "methods", "sources",
    "hero_caption", "hero_credit", "content_sha256", "corrections", "prev",
    "page_prev",
}  # fmt: skip


def verify_independently(token):
    """Verify with jwcrypto and the published JWK: not our code."""
    header = json.loads(our_jws.b64url_decode(token.split(".")[0]))
    assert header["alg"] in {"Ed25519", "EdDSA"}  # RFC 9864's name, or RFC 8037's
    row = SigningKey.objects.get(kid=header["kid"])
    key = jwk.JWK(**row.public_jwk)
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg=header["alg"])
    return json.loads(signed.payload)


def test_publishing_signs_a_record_with_every_field(published_article, records_of):
    [record] = records_of(published_article)
    payload = verify_independently(record.jws)
    assert set(payload) == PAYLOAD_FIELDS
    assert payload["headline"] == "Putin and Xi meet in Beijing"
    assert payload["url"] == published_article.get_full_url()
    assert payload["page_id"] == published_article.pk
    assert payload["revision_id"] == published_article.latest_revision_id
    assert payload["authors"] == ["Ada Reporter"]
    assert payload["section"] == "World"
    assert payload["event"] == "published"
    assert payload["content_sha256"] == content_sha256(article_text(published_article))
    assert payload["seq"] == record.seq
    assert payload["prev"] == "" and payload["page_prev"] == ""


def test_the_payload_is_rfc8785_canonical_json(published_article, records_of):
    [record] = records_of(published_article)
    header, payload_part, _ = record.jws.split(".")
    raw = our_jws.b64url_decode(payload_part)
    assert raw == rfc8785.dumps(json.loads(raw))
    assert json.loads(our_jws.b64url_decode(header)) == {
        "alg": "Ed25519",
        "kid": record.kid,
        "typ": "JWT",
    }


def test_republishing_chains_records_and_signs_new_corrections_once(
    published_article, records_of
):
    article = published_article
    article.body = "<p>Corrected text.</p>"
    article.correction_notes = [
        article.correction_notes.model(kind="correction", note="The date was wrong.")
    ]
    article.save_revision().publish()
    article.refresh_from_db()
    article.title = "Putin and Xi meet in Beijing again"
    article.save_revision().publish()

    first, second, third = records_of(article)
    assert [r.seq for r in (first, second, third)] == [1, 2, 3]
    second_payload = verify_independently(second.jws)
    third_payload = verify_independently(third.jws)
    assert second_payload["prev"] == our_jws.token_hash(first.jws)
    assert second_payload["page_prev"] == our_jws.token_hash(first.jws)
    assert third_payload["page_prev"] == our_jws.token_hash(second.jws)
    assert second_payload["corrections"] == [
        {"kind": "correction", "note": "The date was wrong."}
    ]
    assert third_payload["corrections"] == []  # still on the page, already signed
    assert PublishedCorrection.objects.filter(page_id=article.pk).count() == 1
    assert (
        second.content
        == "Putin and Xi meet in Beijing\nA state visit with a message.\n"
        "Corrected text."
    )


def test_the_log_chains_across_articles(make_article, records_of):
    one, two = make_article(), make_article()
    [first], [second] = records_of(one), records_of(two)
    assert verify_independently(second.jws)["prev"] == our_jws.token_hash(first.jws)
    assert verify_independently(second.jws)["page_prev"] == ""


def test_unpublishing_adds_a_record_saying_so(published_article, records_of):
    published_article.unpublish()
    published, withdrawn = records_of(published_article)
    assert withdrawn.event == "unpublished"
    assert verify_independently(withdrawn.jws)["event"] == "unpublished"


def test_drafts_are_not_signed_and_private_articles_are_not_logged(
    make_article, section, records_of
):
    from wagtail.models import PageViewRestriction

    draft = make_article(publish=False)
    assert records_of(draft) == []
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    private = make_article()
    assert records_of(private) == []


def test_a_failed_publication_is_not_signed_and_no_unpublished_key_is_remembered(
    make_article, records_of
):
    """Signing runs in the publishing transaction: both happen, or neither."""
    article = make_article(publish=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        article.save_revision().publish()
        raise RuntimeError("the database went away")
    assert records_of(article) == []
    article = type(article).objects.get(pk=article.pk)
    article.save_revision().publish()
    [record] = records_of(article)
    assert SigningKey.objects.filter(kid=record.kid).exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda r: r.save(),
        lambda r: r.delete(),
        lambda r: ProvenanceRecord.objects.filter(pk=r.pk).update(event="x"),
        lambda r: ProvenanceRecord.objects.filter(pk=r.pk).delete(),
        lambda r: ProvenanceRecord.objects.bulk_update([r], ["event"]),
    ],
    ids=["save", "delete", "queryset update", "queryset delete", "bulk_update"],
)
def test_records_are_never_updated_or_deleted_by_the_model(
    published_article, records_of, attempt
):
    [record] = records_of(published_article)
    record.event = "unpublished"
    with pytest.raises(AppendOnlyError):
        attempt(record)
    assert records_of(published_article)[0].event == "published"


def test_the_database_refuses_an_update_from_raw_sql(published_article, records_of):
    [record] = records_of(published_article)
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE provenance_provenancerecord SET jws = 'x' WHERE id = %s",
                [record.pk],
            )
    assert records_of(published_article)[0].jws == record.jws


def test_bulk_imports_are_signed(tmp_path, db, records_of):
    from django.core.management import call_command

    from byline.news.models import ArticlePage

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"a{i}",
                    "title": f"Story {i}",
                    "body": f"Text {i}.\n\nMore.",
                    "category": "world",
                    "author": "Wire Desk",
                }
            )
            for i in range(3)
        )
    )
    call_command("import_articles", str(corpus), verbosity=0)
    for article in ArticlePage.objects.all():
        [record] = records_of(article)
        payload = verify_independently(record.jws)
        assert payload["content_sha256"] == content_sha256(article_text(article))
        assert payload["authors"] == ["Wire Desk"]
        assert payload["section"] == "World"
    call_command(
        "import_articles", str(corpus), verbosity=0
    )  # unchanged: no new records
    assert ProvenanceRecord.objects.count() == 3


def test_rotation_keeps_old_records_verifiable_and_signs_new_ones_with_the_new_key(
    published_article, make_article, records_of, client
):
    from django.core.management import call_command

    [old_record] = records_of(published_article)
    call_command("rotate_signing_key", verbosity=0)
    newer = make_article()
    [new_record] = records_of(newer)
    assert new_record.kid != old_record.kid
    old_key, new_key = SigningKey.objects.order_by("valid_from")
    assert old_key.kid == old_record.kid and old_key.valid_until is not None
    assert new_key.kid == new_record.kid and new_key.valid_until is None
    verify_independently(old_record.jws)
    verify_independently(new_record.jws)
    published = client.get("/.well-known/jwks.json").json()["keys"]
    assert [k["kid"] for k in published] == [old_key.kid, new_key.kid]
    assert published[0]["valid_until"] is not None


def test_a_retired_key_file_is_refused(published_article, settings, tmp_path):
    import shutil

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command

    saved = tmp_path / "old.pem"
    shutil.copy(keys.key_path(), saved)
    call_command("rotate_signing_key", verbosity=0)
    settings.PROVENANCE_SIGNING_KEY_FILE = str(saved)
    keys.forget()
    with pytest.raises(ImproperlyConfigured, match="retired"):
        keys.signing_key()


def test_the_private_key_is_never_published(published_article, client):
    from cryptography.hazmat.primitives import serialization

    private, _ = keys.signing_key()
    raw = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    secret = our_jws.b64url(raw)
    url = published_article.url
    for address in [
        "/.well-known/jwks.json",
        "/provenance/log.json",
        url + "provenance.json",
        url + "provenance/",
        url,
    ]:
        body = client.get(address).content.decode()
        assert secret not in body and "PRIVATE KEY" not in body
    for key in client.get("/.well-known/jwks.json").json()["keys"]:
        assert "d" not in key


def test_articles_published_before_signing_existed_are_signed_on_request(
    make_article, records_of
):
    from django.core.management import call_command

    from byline.provenance.models import ProvenanceRecord

    old = make_article()
    from django.db import connection

    with connection.cursor() as cursor:  # as before 0001 (the model refuses it)
        table = connection.ops.quote_name(ProvenanceRecord._meta.db_table)
        cursor.execute(f"DELETE FROM {table}")
    assert records_of(old) == []
    call_command("provenance", "--sign-missing", verbosity=0)
    [record] = records_of(old)
    verify_independently(record.jws)
    call_command("provenance", "--sign-missing", verbosity=0)
    assert len(records_of(old)) == 1


def test_the_log_check_passes_and_names_a_broken_record(make_article, capsys):
    from django.core.management import CommandError, call_command

    for _ in range(3):
        make_article()
    call_command("provenance", "--check")
    assert "All 3 records verify and chain." in capsys.readouterr().out
    with connection.cursor() as cursor:
        allow_rewriting_records(cursor)
        cursor.execute(
            "UPDATE provenance_provenancerecord SET jws = jws || 'x' WHERE seq = 2"
        )
    with pytest.raises(CommandError):
        call_command("provenance", "--check")
    assert "record 2: the signature does not verify" in capsys.readouterr().err
