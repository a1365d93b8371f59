"""Health endpoints tell a load balancer the truth, with the reason."""

import socket


def test_healthz_answers_without_touching_anything(client):
    # No database fixture: pytest-django fails the test if the view queries.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )


def test_readyz_checks_database_cache_and_tasks(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "tasks": "ok"},
    }


def test_readyz_says_503_and_why_when_the_cache_is_down(client, db, settings):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "not ready"
    assert data["checks"]["database"] == "ok"
    assert data["checks"]["cache"].startswith("failed: ConnectionError")
