"""Settings for the test suite: the real settings, with test-only secrets and speed-ups.

DATABASE_URL and REDIS_URL still come from the environment, so the same suite
runs on SQLite and, in CI, on PostgreSQL with Redis.
"""

import os
import tempfile
import urllib.parse


def _redis_database_per_worker(url, worker):
    """REDIS_URL with one database number per pytest-xdist worker (gw0, gw1…).

    Every test starts with `cache.clear()`, which is Redis's FLUSHDB: workers
    sharing a database would empty each other's cache and rate counters
    mid-test. Worker n uses the given database number plus n.
    """
    if not url or not worker.startswith("gw"):
        return url
    parts = urllib.parse.urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{base + int(worker[2:])}"))


# Set in the environment, so subprocesses a test starts use the same database.
if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _redis_database_per_worker(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-site")
os.environ.setdefault("BYLINE_VAR_DIR", tempfile.mkdtemp(prefix="byline-test-var-"))

# One signing key per test worker. The workers inherit the first process's
# environment, so they shared one file, and a key rotation in one worker's test
# changed the key another worker's test was signing with (CI saw three key ids
# where a test made two).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_key_name = f"signing-key-{_worker}.pem" if _worker else "signing-key.pem"
if _worker or "PROVENANCE_SIGNING_KEY_FILE" not in os.environ:
    os.environ["PROVENANCE_SIGNING_KEY_FILE"] = os.path.join(
        os.environ["BYLINE_VAR_DIR"], "provenance", _key_name
    )
if not os.path.exists(os.environ["PROVENANCE_SIGNING_KEY_FILE"]):
    from byline.provenance.keyfile import create

    create(os.environ["PROVENANCE_SIGNING_KEY_FILE"])

from byline.settings import *  # noqa: E402, F403 (after the key file exists)

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns otherwise)
# Every test starts by emptying the counters (conftest.py): one store per
# pytest-xdist worker, as with Redis databases above, so that no worker empties
# another's mid-test (the workers share BYLINE_VAR_DIR).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
RATE_LIMIT_FILES = VAR_DIR / f"rate-counters-{_worker}"  # noqa: F405

# A replica alias for the router's tests (byline/core/tests/test_replicas.py),
# the primary under another name (Django's TEST MIRROR). The router is off
# unless DATABASE_REPLICA_URL is set; those tests turn it on.
if "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
