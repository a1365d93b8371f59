"""Throwaway installs for the backup and restore attack tests.

A demo site is migrated and loaded once per test module (the slow part) and
copied for each test: its own var/, key and database (a scratch PostgreSQL
database made from it as a template when DATABASE_URL is set). Commands run in
subprocesses, as a site owner runs them.
"""

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SERVER = os.environ.get("DATABASE_URL")

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
    "comments": sorted((c.pk, c.text, c.status) for c in Comment.objects.all()),
    "records": [(r.seq, r.jws) for r in ProvenanceRecord.objects.order_by("seq")],
    "media": sorted(
        (str(p.relative_to(media)), hashlib.sha256(p.read_bytes()).hexdigest())
        for p in media.rglob("*") if p.is_file()
    ),
}))
"""


def _postgres(statement):
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(statement)


def _database_url(name):
    parts = urllib.parse.urlsplit(SERVER)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def install_env(var, database=None):
    """The environment of an install whose files live in `var`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="backup-attack-test-" + "k3y-" * 10,
        BYLINE_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="byline.settings",
        PROVENANCE_SIGNING_KEY_FILE=str(Path(var) / "keys" / "signing.pem"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    if database:
        env["DATABASE_URL"] = _database_url(database)
    return env


def manage(env, *args, check=True):
    """Run manage.py with a umask that would leave files world-readable."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
        umask=0o022,
    )


def snapshot(env):
    """What readers and the newsroom have: articles, comments, records, media."""
    return json.loads(manage(env, "shell", "--no-imports", "-c", SNAPSHOT).stdout)


ATTEMPT = """
import json
from django.core.management import CommandError, call_command
errors = []
for args in json.loads({attempts!r}):
    try:
        call_command("restore", *args, yes=True, verbosity=0)
        errors.append(None)
    except CommandError as exc:
        errors.append(str(exc))
print(json.dumps(errors))
"""


def attempt_restores(env, *attempts):
    """Run `restore` once per argument list in one process (a process start
    costs seconds); return (each one's error or None, the snapshot after)."""
    script = ATTEMPT.format(
        attempts=json.dumps([[str(a) for a in args] for args in attempts])
    )
    out = manage(env, "shell", "--no-imports", "-c", script + SNAPSHOT).stdout
    errors, after = out.splitlines()[-2:]
    return json.loads(errors), json.loads(after)


def run_sql(env, statement):
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        f"from django.db import connection\nconnection.cursor().execute({statement!r})",
    )


# Named fixtures, so test modules import them without shadowing (`from
# installs import machines_fixture` provides the fixture `machines`).
@pytest.fixture(scope="module", name="demo_install")
def demo_install_fixture(tmp_path_factory):
    """One migrated demo install, made once per module."""
    from byline.provenance import keyfile

    var = tmp_path_factory.mktemp("template") / "var"
    database = f"byline_tpl_{uuid.uuid4().hex[:8]}" if SERVER else None
    if database:
        _postgres(f'CREATE DATABASE "{database}"')
    env = install_env(var, database)
    keyfile.create(env["PROVENANCE_SIGNING_KEY_FILE"])
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    yield env
    if database:
        _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def make_machine(demo, folder, empty=False):
    """Return the environment of a new install in `folder`: a copy of the demo
    install, or with `empty` a machine with nothing on it yet. Its scratch
    PostgreSQL database (if any) is named by DATABASE_URL; drop_machine
    removes it."""
    var = Path(folder) / "var"
    database = None
    if SERVER:
        database = f"byline_bk_{uuid.uuid4().hex[:8]}"
        template = urllib.parse.urlsplit(demo["DATABASE_URL"]).path[1:]
        _postgres(
            f'CREATE DATABASE "{database}"'
            + ("" if empty else f' TEMPLATE "{template}"')
        )
    if not empty:
        shutil.copytree(demo["BYLINE_VAR_DIR"], var)
    return install_env(var, database)


def drop_machine(env):
    if SERVER:
        name = urllib.parse.urlsplit(env["DATABASE_URL"]).path[1:]
        _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(name="machines")
def machines_fixture(demo_install, tmp_path):
    """Make installs: `machines("site")` a copy of the demo, `machines("new",
    empty=True)` a machine with nothing on it yet."""
    made = []

    def machine(name, empty=False):
        made.append(make_machine(demo_install, tmp_path / name, empty))
        return made[-1]

    yield machine
    for env in made:
        drop_machine(env)


def rewrite(source, target, manifest=None, members=None):
    """Copy an archive, changing its manifest (a function of the dict) and its
    members (a function of [(TarInfo, bytes)] returning the new list)."""
    with tarfile.open(source) as archive:
        content = [
            (m, archive.extractfile(m).read() if m.isfile() else b"")
            for m in archive.getmembers()
        ]
    if manifest:
        content = [
            (m, json.dumps(manifest(json.loads(data))).encode())
            if m.name == "manifest.json"
            else (m, data)
            for m, data in content
        ]
    if members:
        content = members(content)
    with tarfile.open(target, "w:gz") as archive:
        for member, data in content:
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data) if member.isfile() else None)
    return target
