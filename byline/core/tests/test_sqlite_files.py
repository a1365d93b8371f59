"""SQLite runs on Django's stock backend; its files stay private (L3) through
settings and the `connection_created` signal (byline.core.sqlitefiles)."""

import os
import stat

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

from byline import config
from byline.core.sqlitefiles import keep_private


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_sqlite_databases_use_djangos_own_backend():
    entry = config.database_from_url("DATABASE_URL", "sqlite:////tmp/news.sqlite3")
    assert entry["ENGINE"] == "django.db.backends.sqlite3"
    for database in settings.DATABASES.values():
        assert not database["ENGINE"].startswith("byline.")


def test_a_new_database_file_is_made_private(tmp_path):
    old = os.umask(0o022)
    try:
        keep_private(tmp_path / "new.sqlite3")
    finally:
        os.umask(old)
    assert mode(tmp_path / "new.sqlite3") == 0o600


def test_existing_files_lose_group_and_world_access(tmp_path):
    database = tmp_path / "old.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        path = f"{database}{suffix}"
        open(path, "w").close()
        os.chmod(path, 0o664)
    keep_private(database)
    assert {mode(f"{database}{s}") for s in ("", "-wal", "-shm")} == {0o600}


@pytest.mark.django_db
def test_every_new_connection_keeps_its_files_private(tmp_path):
    """A database file made again while the process runs (umask 022) is closed
    as soon as Django connects to it, -wal and -shm included."""
    database = tmp_path / "made-later.sqlite3"
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(database),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            "TEST": {},
        },
        alias="probe",
    )
    old = os.umask(0o022)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
            parts = [f"{database}{s}" for s in ("", "-wal", "-shm")]
            assert {mode(p) for p in parts if os.path.exists(p)} == {0o600}
    finally:
        os.umask(old)
        wrapper.close()
