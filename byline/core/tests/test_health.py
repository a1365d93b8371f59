"""Health endpoints tell a load balancer whether this node can serve, and a
monitor how the task queue is doing; the public never sees an error's text."""

import logging
import socket

import pytest


def test_healthz_answers_without_touching_anything(client):
    """/healthz touches neither the database nor the cache."""
    # No database fixture: pytest-django fails the test if the view queries.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_readyz_checks_what_this_node_needs_to_serve(client, db):
    """Database, cache, task backend and signing key are each checked."""
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
        "signing key": "ok",
    }


def test_readyz_says_what_the_node_uses(client, db, settings):
    """The kinds of database, cache, tasks and media, and each replica's state;
    never a host name."""
    settings.REPLICA_DATABASES = ["replica"]
    uses = client.get("/readyz").json()["uses"]
    assert uses["database"] in ("sqlite", "postgresql")
    assert uses["tasks"] == "ImmediateBackend"
    assert uses["media"] == "FileSystemStorage"
    assert uses["replicas"] == {"replica": "ok"}


@pytest.fixture
def closed_port():
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_readyz_says_503_when_the_cache_is_down_and_logs_why(
    client, db, settings, closed_port, caplog
):
    """A failed check is 503 with "failed"; the reason goes to the log only."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://byline:hunter2@127.0.0.1:{closed_port}/0",
        }
    }
    with caplog.at_level(logging.ERROR, logger="byline.core.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "not ready"
    assert data["checks"]["database"] == "ok"
    assert data["checks"]["cache"] == "failed"
    # The exception's text (host, port, perhaps a user) stays in the log.
    assert str(closed_port) not in response.content.decode()
    assert "ConnectionError" not in response.content.decode()
    assert any("cache" in r.getMessage() and r.exc_info for r in caplog.records)


def test_readyz_is_503_when_the_signing_key_cannot_be_read(
    client, db, settings, tmp_path
):
    """A node that cannot sign what its editors publish is not ready."""
    settings.PROVENANCE_SIGNING_KEY_FILE = str(tmp_path / "missing.pem")
    settings.PROVENANCE_CREATE_KEY = False
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["signing key"] == "failed"
    assert "missing.pem" not in response.content.decode()


def test_queue_health_answers_for_the_immediate_backend(client, db):
    """With tasks run in the request nothing waits."""
    response = client.get("/healthz/queue")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["waiting"] == 0
