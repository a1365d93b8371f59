"""A real streaming replica (byline/operations/pgreplica.py) behind the router.

PostgreSQL only: the suite's database is copied with Debian's pg_basebackup
into /tmp and followed by a hot standby on a free port; the "replica" alias
(the primary under test, TEST MIRROR) is pointed at it for the test. Skips on
SQLite, or where no replica can be started (no server binaries, no right to
allow replication connections).
"""

import socket
import tempfile

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from byline.core import replicas
from byline.operations.pgreplica import Replica, ReplicaUnavailable

ROUTER = "byline.core.replicas.ReplicaRouter"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def streaming_replica():
    primary = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (DATABASE_URL)")
    url = (
        f"postgres://{primary['USER'] or 'postgres'}@{primary['HOST'] or '127.0.0.1'}"
        f":{primary['PORT'] or 5432}/postgres"
    )
    # Not under pytest's own temporary folder, which only its owner may enter:
    # on a machine where tests run as root, the server's user runs the replica.
    folder = tempfile.mkdtemp(prefix="byline-replica-")
    replica = Replica(url, folder, free_port())
    try:
        replica.start()
    except ReplicaUnavailable as reason:
        replica.stop()
        pytest.skip(str(reason))
    alias = connections["replica"]
    saved = dict(alias.settings_dict)
    alias.close()
    alias.settings_dict.update(HOST="127.0.0.1", PORT=replica.port)
    yield replica
    alias.close()
    alias.settings_dict.clear()
    alias.settings_dict.update(saved)
    replica.stop()


def replica_sql(sql):
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "replica"]
)
def test_a_publish_is_read_through_the_replica_once_it_has_caught_up(
    settings, streaming_replica, client, make_article
):
    """While the replica lags behind a publish, readers read the primary; once
    it has caught up, an anonymous reader's page comes from the replica and
    shows the publish."""
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.REPLICA_DATABASES = ["replica"]
    settings.PAGE_CACHE = False  # every request reads the database
    replica_sql("SELECT pg_wal_replay_pause()")
    article = make_article(title="Published while the replica waits")

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    # Only the position check reached the lagging replica; the page came from
    # the primary.
    assert len(on_replica) == 1
    assert "pg_last_wal_replay_lsn" in on_replica[0]["sql"]

    replica_sql("SELECT pg_wal_replay_resume()")
    database = connections["default"].settings_dict["NAME"]
    streaming_replica.wait_caught_up(database)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    assert len(on_replica) > 1
    assert replicas.reading_alias() == "default"  # outside a request
