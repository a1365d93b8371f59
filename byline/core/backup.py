"""Back up and restore a whole Byline install: database, media and signing key.

One archive (tar.gz) holds:
- the database: SQLite copied with its online backup API (a consistent copy
  while the site keeps serving), or PostgreSQL dumped with `pg_dump -Fc`;
- every uploaded file under MEDIA_ROOT;
- the provenance signing key, without which the restored site could not sign
  new versions with the key its readers' verifiers know;
- manifest.json: when, from which engine, what it counted, and the SHA-256 of
  every member, checked before anything is restored.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = 1


class BackupError(Exception):
    pass


def _engine():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_env():
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        {
            key: str(value)
            for key, value in {
                "PGHOST": db.get("HOST"),
                "PGPORT": db.get("PORT"),
                "PGUSER": db.get("USER"),
                "PGPASSWORD": db.get("PASSWORD"),
                "PGDATABASE": db.get("NAME"),
            }.items()
            if value
        }
    )
    return env


def _run(command, **kwargs):
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from None


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def counts():
    """What the archive is expected to bring back, for the manifest and report."""
    from byline.comments.models import Comment
    from byline.news.models import ArticlePage
    from byline.provenance.models import ProvenanceRecord

    return {
        "articles": ArticlePage.objects.count(),
        "comments": Comment.objects.count(),
        "provenance_records": ProvenanceRecord.objects.count(),
    }


def _dump_database(engine, target_dir):
    if engine == "sqlite":
        target = target_dir / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot page by page
            # while other processes go on reading and writing.
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    target = target_dir / "database.pgdump"
    _run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], env=_pg_env()
    )
    return target


def create(output):
    """Write a backup archive at `output` (a file, or a folder to put one in)."""
    engine = _engine()
    output = Path(output)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    if output.is_dir() or str(output).endswith(os.sep):
        output.mkdir(parents=True, exist_ok=True)
        output = output / f"byline-backup-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="byline-backup-") as tmp:
        tmp = Path(tmp)
        members = {}
        database = _dump_database(engine, tmp)
        members[database.name] = database
        key_file = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
        if key_file.exists():
            members["keys/signing-key.pem"] = key_file
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    members[f"media/{path.relative_to(media_root)}"] = path
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(),
            "engine": engine,
            "database": database.name,
            "counts": counts(),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = tmp / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_path, arcname="manifest.json")
            for name, path in members.items():
                archive.add(path, arcname=name)
        os.replace(partial, output)  # never a half-written archive under the name
    return output, manifest


def _safe_members(archive):
    for member in archive.getmembers():
        name = Path(member.name)
        if (
            name.is_absolute()
            or ".." in name.parts
            or not (member.isfile() or member.isdir())
        ):
            raise BackupError(f"refusing an unsafe archive member: {member.name}")
    return archive.getmembers()


def read_manifest(path):
    with tarfile.open(path, "r:gz") as archive:
        try:
            return json.load(archive.extractfile("manifest.json"))
        except KeyError:
            raise BackupError(f"{path} is not a Byline backup (no manifest)") from None


def restore(path):
    """Restore the archive at `path` over this install. Returns its manifest."""
    engine = _engine()
    manifest = read_manifest(path)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest["engine"] != engine:
        raise BackupError(
            f"this backup is of a {manifest['engine']} database; this install "
            f"uses {engine}"
        )
    with tempfile.TemporaryDirectory(prefix="byline-restore-") as tmp:
        tmp = Path(tmp)
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(tmp, members=_safe_members(archive), filter="data")
        for name, digest in manifest["files"].items():
            member = tmp / name
            if not member.exists() or _sha256(member) != digest:
                raise BackupError(f"{name} is missing or damaged in the archive")
        key_source = tmp / "keys" / "signing-key.pem"
        if key_source.exists():
            _check_key(key_source)  # before anything is overwritten
        _restore_database(engine, tmp / manifest["database"])
        media_source = tmp / "media"
        if media_source.exists():
            shutil.copytree(media_source, settings.MEDIA_ROOT, dirs_exist_ok=True)
        key_source = tmp / "keys" / "signing-key.pem"
        if key_source.exists():
            _restore_key(key_source)
    _forget_caches()
    return manifest


def _restore_database(engine, dump):
    if engine == "sqlite":
        connection.close()
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_pg_env()['PGDATABASE']}",
            str(dump),
        ],
        env=_pg_env(),
    )


def _check_key(source):
    target = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
    if target.exists() and _sha256(target) != _sha256(source):
        raise BackupError(
            f"{target} holds a different signing key; move it aside to restore "
            "the archive's key (the site signs with one key at a time)"
        )


def _restore_key(source):
    target = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o600)


def _forget_caches():
    from byline.core.chrome import invalidate_chrome
    from byline.core.sites import forget_sites
    from byline.pagecache import invalidation

    invalidate_chrome()
    forget_sites()
    invalidation.everything()
