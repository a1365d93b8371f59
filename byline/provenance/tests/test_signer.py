"""An import's signatures are made in a second process while the import writes
its other rows (provenance/signer.py), and are the very tokens this process
would make; a signer that fails or dies costs time, never a record."""

import io
import json
import os
import signal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.importers.jsonl import ArticleImporter, import_jsonl
from byline.provenance import chain, jws, signer
from byline.provenance.models import ProvenanceRecord

LINES = [
    {
        "id": f"wire-{n}",
        "title": f"Harbour board answers the tariff question ({n})",
        "body": f"Lead paragraph {n}.\n\nSecond paragraph: Zürich and 北京.",
        "category": "Business",
        "author": "Jo Writer",
        "published": "2024-03-01T08:00:00+00:00",
    }
    for n in range(12)
]


def wire(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in LINES))
    return path


def job(key):
    # Page 7 twice: its second record names the first as its page_prev.
    payloads = [
        {"page_id": page, "seq": seq, "headline": f"Headline «{seq}»", "v": 2}
        for seq, page in enumerate([7, 8, 7, 9], start=41)
    ]
    return chain.Job(
        key, "k1", prev="ab" * 32, page_prev={8: "cd" * 32}, payloads=payloads
    )


def test_the_signer_process_makes_the_tokens_this_process_would():
    key = Ed25519PrivateKey.generate()
    here = chain.sign(job(key))
    with signer.Signer() as process:
        assert process.running
        there = process.submit(job(key))()
    assert there == here
    payloads = [json.loads(jws.b64url_decode(t.split(".")[1])) for t, _ in there]
    assert [p["prev"] for p in payloads] == ["ab" * 32] + [h for _, h in there[:-1]]
    assert [p["page_prev"] for p in payloads] == ["", "cd" * 32, there[0][1], ""]
    assert all(h == jws.token_hash(t) for t, h in there)


class Stuck(Exception):
    pass


def test_a_new_batch_is_sent_after_the_answers_nobody_took(monkeypatch):
    """A batch refused after its signing began never takes its answer. Both
    large, the signer blocks writing that answer while this process blocks
    sending the next batch, unless the old answer is read first."""
    key = Ed25519PrivateKey.generate()

    def large(first_seq):
        # Distinct headlines: pickle would send one repeated string once.
        payloads = [
            {"page_id": n, "seq": first_seq + n, "headline": f"{n} " + "word " * 400}
            for n in range(1000)
        ]
        return chain.Job(key, "k1", "", {}, payloads)

    def stuck(*args):
        raise Stuck("sending the next batch never finished")

    signal.signal(signal.SIGALRM, stuck)
    try:
        with signer.Signer() as process:
            process.submit(large(1))  # its answer is never asked for
            signal.setitimer(signal.ITIMER_REAL, 20)
            second = process.submit(large(1001))
            signal.setitimer(signal.ITIMER_REAL, 0)
            assert second() == chain.sign(large(1001))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def assert_the_log_verifies(count):
    assert ProvenanceRecord.objects.count() == count
    out = io.StringIO()
    call_command("provenance", check=True, stdout=out)  # raises on any problem
    assert f"All {count} records verify and chain." in out.getvalue()


@pytest.mark.django_db
def test_an_import_is_signed_in_the_signer_process_not_the_importing_one(
    tmp_path, monkeypatch
):
    if connection.vendor != "sqlite":
        pytest.skip("on PostgreSQL an import signs in its own process")
    here, real = os.getpid(), jws.sign

    def elsewhere(*args):
        assert os.getpid() != here, "signed in the importing process"
        return real(*args)

    monkeypatch.setattr(jws, "sign", elsewhere)
    summary = import_jsonl(wire(tmp_path), batch_size=5, workers=1)
    assert (summary.created, summary.errors) == (12, [])
    monkeypatch.setattr(jws, "sign", real)
    assert_the_log_verifies(12)


@pytest.mark.django_db
@pytest.mark.parametrize("failure", ["dies", "raises"])
def test_a_batch_the_signer_cannot_sign_is_signed_by_the_import(
    tmp_path, monkeypatch, failure
):
    """The signer killed (out of memory), or failing a batch, at the second
    batch: every record is still signed once, in the chain's order."""
    here, real = os.getpid(), chain.sign

    def failing(job):
        if os.getpid() != here and job.payloads[0]["seq"] > 5:
            if failure == "dies":
                os._exit(9)
            raise RuntimeError("the signer's disk is full")
        return real(job)

    monkeypatch.setattr(chain, "sign", failing)
    summary = import_jsonl(wire(tmp_path), batch_size=5, workers=1)
    assert (summary.created, summary.errors) == (12, [])
    assert_the_log_verifies(12)


@pytest.mark.django_db
def test_a_batch_refused_while_being_signed_leaves_its_signatures_behind(
    tmp_path, monkeypatch
):
    """The first batch fails after its signing began: its signatures, never
    taken, must not be read as the next batch's."""
    real, calls = ArticleImporter._index, []

    def refusing(self, created, changed):
        calls.append(len(created))
        if len(calls) == 1:
            raise RuntimeError("disk I/O error")
        return real(self, created, changed)

    monkeypatch.setattr(ArticleImporter, "_index", refusing)
    summary = import_jsonl(wire(tmp_path), batch_size=5, workers=1)
    assert summary.created == 7
    assert [number for number, _ in summary.errors] == [1, 2, 3, 4, 5]
    assert_the_log_verifies(7)


@pytest.mark.django_db
def test_an_import_signs_the_bylines_it_wrote_without_reading_them_back(
    tmp_path,
):
    """The batch's authors were just written: signing takes them from the
    importer (reading them back was a tenth of signing at a million)."""
    with CaptureQueriesContext(connection) as queries:
        summary = import_jsonl(wire(tmp_path), batch_size=5, workers=0)
    assert summary.created == 12
    read_back = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "news_articleauthor"' in q["sql"]
    ]
    assert read_back == []
    for record in ProvenanceRecord.objects.all():
        assert record.payload["authors"] == ["Jo Writer"]


# Restored: an earlier transactional test flushed Wagtail's root page.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_import_takes_the_log_lock_after_the_rows_a_publication_locks_first(
    tmp_path,
):
    """A publication marks its sitemap part (a row lock) before it takes the
    log's lock to sign; an import batch must take them in the same order, or
    each waits for the other and PostgreSQL refuses one of them."""
    import threading
    import time

    from django.conf import settings
    from django.db import connection, transaction

    from byline.news.site_setup import ensure_home_page, ensure_section
    from byline.provenance import records
    from byline.syndication import sitemap_parts
    from byline.syndication.models import SitemapPart

    if connection.vendor != "postgresql":
        pytest.skip("row and advisory locks: PostgreSQL")
    home = ensure_home_page()
    ensure_section(home, "Business")  # the import makes no new section
    size = settings.SITEMAP_PART_SIZE
    SitemapPart.objects.create(
        root_path="", size=size, number=1, first_pk=1, last_pk=size
    )
    held, outcome = threading.Event(), []

    def publication():
        try:
            with transaction.atomic():
                sitemap_parts.mark_pages([home.pk])  # as its page's save does
                held.set()
                with connection.cursor() as cursor:
                    for _ in range(600):  # until the import waits for the row
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity"
                            " WHERE wait_event_type = 'Lock'"
                            " AND datname = current_database()"
                            " AND pid <> pg_backend_pid()"
                        )
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.1)
                records.lock_log()  # as its signing step does
            outcome.append("published")
        except Exception as exc:
            outcome.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=publication)
    thread.start()
    assert held.wait(30)
    summary = import_jsonl(wire(tmp_path), batch_size=20, workers=0)
    thread.join()
    assert outcome == ["published"]
    assert (summary.created, summary.errors) == (12, [])
    assert_the_log_verifies(12)
