"""A replica is a copy of the whole server: it is refused, before copying,
when the copy would not fit on the disk (byline/operations/pgreplica.py)."""

import shutil

import psycopg
import pytest
from django.db import connections

from byline.operations import pgreplica
from byline.operations.pgreplica import Replica, ReplicaUnavailable


def primary_url():
    settings = connections["default"].settings_dict
    return (
        f"postgres://{settings['USER'] or 'postgres'}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/postgres"
    )


def test_a_copy_larger_than_the_free_space_is_refused(tmp_path):
    free = shutil.disk_usage(tmp_path).free
    with pytest.raises(ReplicaUnavailable, match="GB free"):
        pgreplica.ensure_room(free, tmp_path)
    with pytest.raises(ReplicaUnavailable, match="GB free"):
        pgreplica.ensure_room(free - pgreplica.ROOM_MARGIN + 1, tmp_path)
    pgreplica.ensure_room(free - pgreplica.ROOM_MARGIN - 2**20, tmp_path)


@pytest.mark.django_db
def test_a_replica_that_would_not_fit_copies_nothing(tmp_path, monkeypatch):
    """start() measures the server and stops before pg_basebackup writes a
    byte, so a full disk is never the way a test finds out."""
    if connections["default"].vendor != "postgresql":
        pytest.skip("a replica needs PostgreSQL (DATABASE_URL)")
    folder = tmp_path / "replica"
    # The margin alone takes all the free space: any server is too large.
    monkeypatch.setattr(pgreplica, "ROOM_MARGIN", shutil.disk_usage(tmp_path).free)
    try:
        Replica(primary_url(), folder, 1).start()
    except ReplicaUnavailable as reason:
        if "copies all" not in str(reason):  # no binaries, no replication rights
            pytest.skip(str(reason))
    else:
        pytest.fail("a replica was started with no room for its copy")
    assert not (folder / "data").exists()


@pytest.mark.django_db
def test_the_servers_size_counts_every_database():
    if connections["default"].vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        this_one = cursor.fetchone()[0]
    with psycopg.connect(primary_url(), autocommit=True) as conn:
        assert pgreplica.server_bytes(conn) > this_one
