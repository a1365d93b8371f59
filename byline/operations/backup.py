"""Back up and restore a whole Byline install: database, media and signing key.

One archive (tar.gz) holds:
- the database (see backup_database.py: SQLite's online backup API or
  `pg_dump -Fc`, with the counts of that very snapshot);
- every upload and rendition, from local files or the bucket (backup_media.py);
- the provenance signing key, without which the restored site could not sign
  new versions with the key its readers' verifiers know;
- manifest.json: when, from which engine, what it counted, and the SHA-256 of
  every member, checked before anything is restored.

Rules, because the archive holds the private signing key and replaces a site:
- Nothing is overwritten. A destination that does not exist is a folder to
  create, unless it names an archive (`*.tar.gz`, `*.tar.gz.age`); archives in
  a folder get dated names, and a name already taken gets `-2`, `-3`, ….
- Private whatever the umask: folders made 0700, archives 0600, and the work
  files in a private temporary folder.
- Encrypted when recipients are given (BACKUP_RECIPIENTS or `--encrypt-to`):
  the archive is encrypted with age (pyrage) to those X25519 public keys, so
  the machine that writes backups cannot read them; the identity that opens
  them is kept elsewhere and given to `restore --identity` (or `age -d -i`).
- Restore (backup_restore.py) trusts nothing in the archive.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pyrage
from django.apps import apps
from django.conf import settings

from byline.operations import backup_database as database
from byline.operations import backup_media as media
from byline.operations.backup_database import BackupError

__all__ = ["BackupError", "counts", "create"]

# 2: counts taken in the dump's own snapshot (format 1 counted afterwards).
FORMAT = 2
KEY_MEMBER = "keys/signing-key.pem"
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.gz.age")


def counts():
    """What the database holds now, for the restore command's report."""
    return {
        what: apps.get_model(label).objects.count()
        for what, label in database.COUNTED.items()
    }


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def private_folder(path):
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise BackupError(
            f"{path} is a file, not a folder (an archive of an earlier version "
            f"named so? rename it {path.name}-old.tar.gz and run again)"
        )
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True)
    return path


def private_file(path):
    """Open a new file for writing, readable by its owner only."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


# --- writing ------------------------------------------------------------------------


def recipients_from(values):
    """Parse age X25519 recipients (`age1…`); a bad one is a clear error."""
    parsed = []
    for value in values or ():
        try:
            parsed.append(pyrage.x25519.Recipient.from_str(value.strip()))
        except pyrage.RecipientError as exc:
            raise BackupError(f"{value!r} is not an age recipient: {exc}") from None
    return parsed


def _destination(output, encrypted):
    """Return (path for the archive, whether the caller named the file)."""
    suffix = ".tar.gz.age" if encrypted else ".tar.gz"
    folder = Path(settings.VAR_DIR) / "backups" if output is None else Path(output)
    if output is not None and not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise BackupError(f"{folder} exists; a backup never overwrites a file")
        if folder.name.endswith(ARCHIVE_SUFFIXES):
            if folder.name.endswith(".age") != encrypted:
                raise BackupError(
                    f"{folder.name}: an encrypted archive ends in .tar.gz.age and "
                    "only an encrypted one does"
                )
            private_folder(folder.parent)
            return folder, True
    private_folder(folder)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return folder / f"byline-backup-{stamp}{suffix}", False


def claim_archive(path, named):
    """Create `path` empty (0600) so no other run takes it; when a dated name
    is taken, try -2, -3, …. Return the path claimed."""
    stem, dot, suffix = path.name.partition(".")
    for n in range(1, 1000):
        candidate = path if n == 1 else path.with_name(f"{stem}-{n}{dot}{suffix}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            if named:
                raise BackupError(
                    f"{candidate} exists; a backup never overwrites a file"
                ) from None
            continue
        return candidate
    raise BackupError(f"no free archive name beside {path}")


def _write_tar(handle, members, manifest):
    data = json.dumps(manifest, indent=2).encode()
    with tarfile.open(fileobj=handle, mode="w:gz") as archive:
        info = tarfile.TarInfo("manifest.json")
        info.size, info.mtime, info.mode = (
            len(data),
            int(datetime.now().timestamp()),
            0o600,
        )
        archive.addfile(info, fileobj=io.BytesIO(data))
        for name, path in members.items():
            archive.add(path, arcname=name)


def create(output=None, recipients=None):
    """Write a new archive; return (its path, its manifest).

    `output` is a folder (made if missing) or a new archive name; None means
    var/backups/. `recipients` (age public keys) default to BACKUP_RECIPIENTS.
    """
    vendor = database.engine()
    if recipients is None:
        recipients = settings.BACKUP_RECIPIENTS
    recipients = recipients_from(recipients)
    target, named = _destination(output, bool(recipients))
    target = claim_archive(target, named)
    written = False
    try:
        with tempfile.TemporaryDirectory(prefix="byline-backup-") as tmp:
            tmp = Path(tmp)
            members, manifest = _collect(vendor, tmp)
            fd, partial = tempfile.mkstemp(
                dir=target.parent, prefix=".byline-backup-", suffix=".partial"
            )
            try:
                with os.fdopen(fd, "wb") as out:
                    if recipients:
                        # The clear archive stays in the private work folder.
                        plain = tmp / "archive.tar.gz"
                        with private_file(plain) as handle:
                            _write_tar(handle, members, manifest)

                        with open(plain, "rb") as source:
                            pyrage.encrypt_io(source, out, recipients)
                    else:
                        _write_tar(out, members, manifest)
                os.replace(partial, target)  # over our own empty claim only
                written = True
            finally:
                if not written:
                    Path(partial).unlink(missing_ok=True)
    finally:
        if not written:
            target.unlink(missing_ok=True)
    return target, manifest


def _collect(vendor, tmp):
    members = {}
    dump, counted = database.dump(vendor, tmp)
    members[dump.name] = dump
    key_file = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
    if key_file.exists():
        members[KEY_MEMBER] = key_file
    members.update(media.collect(tmp))
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(),
        "engine": vendor,
        "database": dump.name,
        "counts": counted,
        "files": {name: sha256_of(path) for name, path in members.items()},
    }
    return members, manifest
