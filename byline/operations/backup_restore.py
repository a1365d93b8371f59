"""Restore a `manage.py backup` archive over this install, trusting nothing in it.

- An encrypted archive (age) is opened with the identity given; the clear
  archive stays in a private temporary folder.
- Every name in the manifest and every member is checked (relative, no `..`,
  only the database, the key and media/); members not listed, links and
  devices are refused; the database named must be the one the engine uses;
  every checksum is compared, and the signing key, before anything changes.
- The database is restored into a temporary one and checked before it
  replaces the live one in one transaction (backup_database.py).
"""

import json
import re
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import pyrage
from django.conf import settings

from byline.core.chrome import invalidate_chrome
from byline.core.sites import forget_sites
from byline.operations import backup_database as database
from byline.operations import backup_media as media
from byline.operations.backup import (
    KEY_MEMBER,
    private_file,
    private_folder,
    sha256_of,
)
from byline.operations.backup_database import BackupError
from byline.pagecache import invalidation

READABLE_FORMATS = {1, 2}
AGE_HEADERS = (b"age-encryption.org/v1\n", b"-----BEGIN AGE ENCRYPTED FILE-----")
SHA256 = re.compile(r"[0-9a-f]{64}")


def check_name(name):
    """Refuse a member name that could land outside the restore folder or is
    not one an archive holds: the database, the key, or a file under media/."""
    parts = name.split("/") if isinstance(name, str) else []
    if (
        not parts
        or "\\" in name
        or "\x00" in name
        or PurePosixPath(name).is_absolute()
        or any(part in {"", ".", ".."} for part in parts)
        or not (
            name in database.MEMBER.values()
            or name == KEY_MEMBER
            or (parts[0] == "media" and len(parts) > 1)
        )
    ):
        raise BackupError(f"refusing an unsafe archive member name: {name!r}")


def _check_manifest(manifest, vendor):
    if not isinstance(manifest, dict) or manifest.get("format") not in (
        READABLE_FORMATS
    ):
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest.get("engine") != vendor:
        raise BackupError(
            f"this backup is of a {manifest.get('engine')} database; this install "
            f"uses {vendor}"
        )
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError("the manifest lists no files")
    for name, digest in files.items():
        check_name(name)
        if not isinstance(digest, str) or not SHA256.fullmatch(digest):
            raise BackupError(f"the manifest's checksum of {name!r} is not SHA-256")
    expected = database.MEMBER[vendor]
    if manifest.get("database") != expected or expected not in files:
        raise BackupError(
            f"the manifest names {manifest.get('database')!r} as the database; a "
            f"{vendor} backup holds {expected!r}, listed with its checksum"
        )
    counted = manifest.get("counts")
    if not isinstance(counted, dict) or not all(
        isinstance(counted.get(what), int) and counted[what] >= 0
        for what in database.COUNTED
    ):
        raise BackupError("the manifest's counts are missing or not numbers")


def _is_encrypted(path):
    with open(path, "rb") as handle:
        head = handle.read(64)
    return head.startswith(AGE_HEADERS)


class Restore:
    """An archive opened and checked, ready to replace this install.

        with Restore(path, identity=None) as pending:
            print(pending.manifest["counts"])  # ask before going on
            pending.apply()

    Opening decrypts (with the age identity file given), reads the manifest
    and checks its names; `apply` checks every member and restores.
    """

    def __init__(self, path, identity=None):
        self.path = Path(path)
        self.identity = identity
        self.vendor = database.engine()

    def __enter__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="byline-restore-")
        self.workdir = Path(self._tmp.name)
        try:
            self.archive = self._plain_archive()
            with tarfile.open(self.archive, "r:gz") as archive:
                try:
                    manifest = json.load(archive.extractfile("manifest.json"))
                except (KeyError, AttributeError):
                    raise BackupError(
                        f"{self.path} is not a Byline backup (no manifest)"
                    ) from None
                except ValueError:
                    raise BackupError("the manifest is not JSON") from None
            _check_manifest(manifest, self.vendor)
            self.manifest = manifest
        except (tarfile.TarError, EOFError, OSError) as exc:
            self._tmp.cleanup()
            raise BackupError(f"cannot read {self.path}: {exc}") from None
        except BaseException:
            self._tmp.cleanup()
            raise
        return self

    def __exit__(self, *exc_info):
        self._tmp.cleanup()

    def _plain_archive(self):
        if not _is_encrypted(self.path):
            return self.path
        if not self.identity:
            raise BackupError(
                f"{self.path} is encrypted: give the age identity that opens it "
                "with --identity FILE"
            )

        try:
            lines = Path(self.identity).read_text().splitlines()
            identities = [
                pyrage.x25519.Identity.from_str(line.strip())
                for line in lines
                if line.strip() and not line.startswith("#")
            ]
        except (OSError, pyrage.IdentityError) as exc:
            raise BackupError(
                f"cannot read the identity {self.identity}: {exc}"
            ) from None
        plain = self.workdir / "archive.tar.gz"
        with open(self.path, "rb") as source, private_file(plain) as out:
            try:
                pyrage.decrypt_io(source, out, identities)
            except pyrage.DecryptError as exc:
                raise BackupError(f"cannot decrypt {self.path}: {exc}") from None
        return plain

    def _extract(self):
        """Extract the listed members, refusing anything else; return the folder."""
        files = self.manifest["files"]
        content = private_folder(self.workdir / "content")
        seen, wanted = set(), []
        with tarfile.open(self.archive, "r:gz") as archive:
            for member in archive.getmembers():
                if member.name == "manifest.json" and member.isfile():
                    continue
                check_name(member.name)
                if not member.isfile():
                    raise BackupError(
                        f"refusing an unsafe archive member: {member.name}"
                    )
                if member.name not in files or member.name in seen:
                    raise BackupError(
                        f"{member.name} is in the archive but not (or twice) in "
                        "its manifest"
                    )
                seen.add(member.name)
                wanted.append(member)
            archive.extractall(content, members=wanted, filter="data")
        for name, digest in files.items():
            member = content / name
            if name not in seen or sha256_of(member) != digest:
                raise BackupError(f"{name} is missing or damaged in the archive")
        return content

    def apply(self):
        content = self._extract()
        key_source = content / KEY_MEMBER
        if key_source.exists():
            _check_key(key_source)  # before anything is overwritten
        expected = self.manifest["counts"] if self.manifest["format"] >= 2 else None
        database.restore(
            self.vendor, content / self.manifest["database"], expected, self.workdir
        )
        media_source = content / "media"
        if media_source.exists():
            media.restore(media_source)
        if key_source.exists():
            _restore_key(key_source)
        _forget_caches()
        return self.manifest


def restore(path, identity=None):
    """Restore the archive at `path` over this install. Returns its manifest."""
    with Restore(path, identity) as pending:
        return pending.apply()


def _check_key(source):
    target = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
    if target.exists() and sha256_of(target) != sha256_of(source):
        raise BackupError(
            f"{target} holds a different signing key; move it aside to restore "
            "the archive's key (the site signs with one key at a time)"
        )


def _restore_key(source):
    target = Path(settings.PROVENANCE_SIGNING_KEY_FILE)
    if target.exists():
        return
    private_folder(target.parent)
    with open(source, "rb") as key, private_file(target) as out:
        shutil.copyfileobj(key, out)


def _forget_caches():
    invalidate_chrome()
    forget_sites()
    invalidation.everything()
