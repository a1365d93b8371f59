"""Rows written by core/bulk_rows.py (COPY on PostgreSQL, multi-row INSERTs on
SQLite) read back as the rows Django's bulk_create writes, with the ids the
database holds."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from byline.core import bulk_rows
from byline.provenance.models import PublishedCorrection


def corrections(n, note="Said “5% & <b>falling</b>”,\ttab\\ and\nline"):
    return [
        PublishedCorrection(
            seq=100 + i,
            page_id=7,
            kind="correction",
            note=f"{note} {i}",
            headline="Rates fall",
            url=f"https://example.org/news/{i}/",
            signed_at=datetime(2026, 3, 1, 8, i, tzinfo=UTC),
        )
        for i in range(n)
    ]


def stored(pk):
    row = PublishedCorrection.objects.filter(pk=pk).values().get()
    different = {"id", "seq", "note", "url", "signed_at"}
    return {k: v for k, v in row.items() if k not in different}


@pytest.mark.django_db
def test_copied_rows_equal_bulk_created_rows_and_keep_their_ids():
    ours = bulk_rows.create(PublishedCorrection, corrections(3))
    [twin] = PublishedCorrection.objects.bulk_create(corrections(1))
    assert len({c.pk for c in ours}) == 3 and None not in {c.pk for c in ours}
    for obj in ours:
        assert stored(obj.pk) == stored(twin.pk)
        saved = PublishedCorrection.objects.get(pk=obj.pk)
        mine = (obj.seq, obj.note, obj.url, obj.signed_at)
        assert (saved.seq, saved.note, saved.url, saved.signed_at) == mine
        assert not obj._state.adding
    # The sequence moved past the copied ids: the next insert takes a new one.
    later = PublishedCorrection.objects.bulk_create(corrections(1))[0]
    assert later.pk > max(c.pk for c in ours)


@pytest.mark.django_db
def test_postgresql_sends_the_rows_as_copy_data_not_an_insert():
    """On PostgreSQL the rows go by COPY (no INSERT carrying their values)."""
    with CaptureQueriesContext(connection) as queries:
        bulk_rows.create(PublishedCorrection, corrections(4))
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [s for s in sql if s.lstrip().upper().startswith("INSERT")]
    if connection.vendor == "postgresql":
        assert inserts == []
        assert any(s.startswith("COPY") for s in sql)
    else:  # one INSERT of the four rows, not bulk_create's compiled one
        assert len(inserts) == 1
        assert inserts[0].rstrip().endswith('RETURNING "id"')


@pytest.mark.django_db
def test_a_refused_row_raises_djangos_error_as_bulk_create_does():
    """A row the database refuses raises Django's IntegrityError (psycopg's
    error from a COPY is not one), and its savepoint is rolled back whole."""
    rows = corrections(3)
    rows[1].note = None  # NOT NULL
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_rows.create(PublishedCorrection, rows)
    assert not PublishedCorrection.objects.exists()
    assert len(bulk_rows.create(PublishedCorrection, corrections(2))) == 2


@pytest.mark.django_db
def test_ids_are_taken_from_the_sequence_of_a_table_named_with_capitals():
    """A model's db_table may hold capitals: PostgreSQL folds an unquoted
    name to lower case and would look for another table."""
    if connection.vendor != "postgresql":
        pytest.skip("the ids come from a PostgreSQL sequence")
    with connection.cursor() as cursor:
        cursor.execute('CREATE TABLE "Byline_Wire" (id serial PRIMARY KEY)')
    first, second = bulk_rows.take_ids("Byline_Wire", "id", 2)
    assert second == first + 1
