"""L3: backup archives and the SQLite database were world-readable (0644),
and archives hold the private signing key. var/, the database (with its -wal
and -shm), archives and their folder are private whatever the umask, and
backups can be encrypted to a key kept off the server."""

import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from byline.security.tests.installs import (  # noqa: F401 (fixtures)
    ROOT,
    demo_install_fixture,
    install_env,
    machines_fixture,
    manage,
    snapshot,
)

MODES = """
import json, os
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS wal_probe (x integer)")
    cursor.execute("INSERT INTO wal_probe VALUES (1)")
    name = str(connection.settings_dict["NAME"])
    print(json.dumps({
        p: oct(os.stat(p).st_mode & 0o777)
        for p in [str(settings.VAR_DIR), name, name + "-wal", name + "-shm"]
    }))
"""


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_fresh_install_keeps_var_and_its_database_private(tmp_path):
    """Under umask 022, var/ is made 0700 and the database, -wal and -shm 0600."""
    env = install_env(tmp_path / "fresh" / "var")
    env["DEBUG"] = "1"  # no key file needed to look at files
    del env["PROVENANCE_SIGNING_KEY_FILE"]
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", MODES],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True, umask=0o022,
    )  # fmt: skip
    modes = __import__("json").loads(result.stdout)
    var = str(tmp_path / "fresh" / "var")
    assert modes.pop(var) == "0o700"
    assert set(modes.values()) == {"0o600"}, modes


def test_an_existing_world_readable_database_is_made_private(machines):
    """An install from before the fix gets its database closed on next start."""
    site = machines("site")
    database = Path(site["BYLINE_VAR_DIR"]) / "byline.sqlite3"
    if not database.exists():
        pytest.skip("the install uses PostgreSQL")
    database.chmod(0o644)
    manage(site, "shell", "--no-imports", "-c", "from django.db import connection\n"
           "connection.ensure_connection()")  # fmt: skip
    assert mode(database) == 0o600


def test_archives_and_their_folder_are_private(machines):
    """Archives hold the signing key: 0600 in a 0700 folder under umask 022."""
    site = machines("site")
    manage(site, "backup")
    folder = Path(site["BYLINE_VAR_DIR"]) / "backups"
    assert mode(folder) == 0o700
    (archive,) = folder.iterdir()
    assert mode(archive) == 0o600


def test_an_encrypted_backup_opens_only_with_its_identity(machines, tmp_path):
    """With BACKUP_RECIPIENTS the archive is age-encrypted: no key or data in
    clear, refused without or with a wrong identity, restored with the right one."""
    site = machines("site")
    identity, wrong = tmp_path / "backup-key.txt", tmp_path / "other-key.txt"
    out = manage(site, "make_backup_key", str(identity)).stdout
    manage(site, "make_backup_key", str(wrong))
    assert mode(identity) == 0o600
    recipient = out.split("BACKUP_RECIPIENTS=", 1)[1].split()[0]
    manage({**site, "BACKUP_RECIPIENTS": recipient}, "backup")
    (archive,) = (Path(site["BYLINE_VAR_DIR"]) / "backups").iterdir()
    assert archive.name.endswith(".tar.gz.age") and mode(archive) == 0o600
    sealed = archive.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n")
    key = Path(site["PROVENANCE_SIGNING_KEY_FILE"]).read_bytes()
    assert key not in sealed and b"manifest.json" not in sealed
    with pytest.raises(tarfile.TarError):
        tarfile.open(archive).getnames()

    new = machines("new", empty=True)
    refused = manage(new, "restore", str(archive), "--yes", check=False)
    assert refused.returncode != 0 and "--identity" in refused.stderr
    refused = manage(new, "restore", str(archive), "--yes", "--identity", str(wrong),
                     check=False)  # fmt: skip
    assert refused.returncode != 0 and "cannot decrypt" in refused.stderr
    assert not Path(new["PROVENANCE_SIGNING_KEY_FILE"]).exists()
    manage(new, "restore", str(archive), "--yes", "--identity", str(identity))
    assert snapshot(new) == snapshot(site)
    assert Path(new["PROVENANCE_SIGNING_KEY_FILE"]).read_bytes() == key
