"""M11: backups never overwrite each other. The default `manage.py backup`
wrote one file named var/backups and replaced it on every run; so did a cron
line naming a folder that did not exist yet."""

import tarfile
from pathlib import Path

import pytest

from byline.security.tests.installs import (  # noqa: F401 (fixtures)
    demo_install_fixture,
    machines_fixture,
    manage,
)


def archives(folder):
    return sorted(p for p in Path(folder).iterdir() if p.name.endswith(".tar.gz"))


def test_the_default_backup_keeps_every_run_in_the_backups_folder(machines):
    """Two default runs leave two dated archives in var/backups/."""
    site = machines("site")
    manage(site, "backup")
    manage(site, "backup")
    folder = Path(site["BYLINE_VAR_DIR"]) / "backups"
    assert folder.is_dir()
    kept = archives(folder)
    assert len(kept) == 2
    for archive in kept:
        assert archive.name.startswith("byline-backup-20")
        with tarfile.open(archive) as opened:
            assert "manifest.json" in opened.getnames()


def test_a_destination_that_does_not_exist_is_a_folder_to_create(machines, tmp_path):
    """The README's cron line on a fresh machine makes the folder, not a file."""
    site = machines("site")
    nightly = tmp_path / "srv" / "backups" / "byline"
    manage(site, "backup", str(nightly))
    manage(site, "backup", str(nightly))
    assert nightly.is_dir() and len(archives(nightly)) == 2


def test_an_existing_file_is_never_overwritten(machines, tmp_path):
    """Naming a file that exists is an error that leaves the file as it was."""
    site = machines("site")
    existing = tmp_path / "yesterday.tar.gz"
    existing.write_bytes(b"yesterday's archive")
    result = manage(site, "backup", str(existing), check=False)
    assert result.returncode != 0
    assert "never overwrites" in result.stderr
    assert existing.read_bytes() == b"yesterday's archive"


def test_a_dated_name_already_taken_gets_the_next_free_one(tmp_path):
    """Two runs in the same second both keep their archive."""
    from byline.operations.backup import BackupError, claim_archive

    dated = tmp_path / "byline-backup-20261205-040000.tar.gz"
    first = claim_archive(dated, named=False)
    second = claim_archive(dated, named=False)
    assert first == dated
    assert second.name == "byline-backup-20261205-040000-2.tar.gz"
    with pytest.raises(BackupError, match="never overwrites"):
        claim_archive(dated, named=True)
