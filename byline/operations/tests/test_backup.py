"""A backup restored on a new machine brings back everything readers and the
newsroom had: articles, comments, provenance records, media and the key."""

import io
import json
import os
import subprocess
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

SNAPSHOT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from byline.comments.models import Comment
from byline.news.models import ArticlePage
from byline.provenance.models import ProvenanceRecord
media = Path(settings.MEDIA_ROOT)
print(json.dumps({
    "articles": sorted(
        (a.slug, a.title, a.live, hashlib.sha256(a.body.encode()).hexdigest())
        for a in ArticlePage.objects.all()
    ),
    "comments": sorted(
        (c.pk, c.article_id, c.text, c.status, c.email)
        for c in Comment.objects.all()
    ),
    "records": [
        (r.seq, r.jws) for r in ProvenanceRecord.objects.order_by("seq")
    ],
    "media": sorted(
        (str(p.relative_to(media)), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in media.rglob("*") if p.is_file()
    ),
}))
"""


@pytest.fixture
def machines(tmp_path):
    """Two installs that share nothing: the database (a scratch PostgreSQL
    database each when DATABASE_URL is set), var/, media and key."""
    created = []
    server = os.environ.get("DATABASE_URL")

    def machine(name):
        var = tmp_path / name
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DEBUG="0",
            SECRET_KEY="backup-test-" + name + "-q7Zr2Lx9Vw4Mp8Nc" * 2,
            BYLINE_VAR_DIR=str(var),
            DJANGO_SETTINGS_MODULE="byline.settings",
            PROVENANCE_SIGNING_KEY_FILE=str(var / "keys" / "signing.pem"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        if server:
            import psycopg

            db = f"byline_backup_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{db}"')
            created.append(db)
            parts = urllib.parse.urlsplit(server)
            env["DATABASE_URL"] = urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))
        return env

    yield machine
    if server:
        import psycopg

        with psycopg.connect(server, autocommit=True) as conn:
            for db in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def snapshot(env):
    return json.loads(manage(env, "shell", "--no-imports", "-c", SNAPSHOT).stdout)


def test_backup_restored_on_a_new_machine_brings_everything_back(machines, tmp_path):
    from byline.provenance import keyfile

    old = machines("old")
    keyfile.create(old["PROVENANCE_SIGNING_KEY_FILE"])
    manage(old, "migrate", "--noinput")
    manage(old, "load_demo")
    before = snapshot(old)
    assert before["articles"] and before["comments"] and before["records"]
    assert before["media"]

    out = manage(old, "backup", str(tmp_path / "site.tar.gz")).stdout
    assert "Backed up to" in out

    new = machines("new")
    assert not Path(new["PROVENANCE_SIGNING_KEY_FILE"]).exists()
    result = manage(new, "restore", str(tmp_path / "site.tar.gz"), "--yes")
    assert "Restored" in result.stdout
    assert snapshot(new) == before
    key = Path(new["PROVENANCE_SIGNING_KEY_FILE"]).read_bytes()
    assert key == Path(old["PROVENANCE_SIGNING_KEY_FILE"]).read_bytes()
    # The restored site verifies its own records with the restored key.
    check = manage(new, "provenance", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_damaged_archive_is_refused_before_anything_changes(machines, tmp_path):
    import tarfile

    from byline.provenance import keyfile

    site = machines("site")
    keyfile.create(site["PROVENANCE_SIGNING_KEY_FILE"])
    manage(site, "migrate", "--noinput")
    manage(site, "load_demo")
    archive = tmp_path / "site.tar.gz"
    manage(site, "backup", str(archive))
    before = snapshot(site)

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("database"):
                content = bytearray(data.read())
                content[len(content) // 2] ^= 0xFF
                member.size = len(content)
                data = io.BytesIO(bytes(content))
            target.addfile(member, data)
    result = manage(site, "restore", str(damaged), "--yes", check=False)
    assert result.returncode != 0
    assert "damaged" in result.stderr
    assert snapshot(site) == before
