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
