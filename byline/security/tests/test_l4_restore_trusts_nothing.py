"""L4: `restore` trusted the manifest's database name: a missing member
emptied the live database, and an absolute or `../` name restored any file of
the host. Every name is now checked like the tar members, the archive's
database is restored into a temporary one and checked, and only a complete
one replaces the live database (SQLite and PostgreSQL)."""

import hashlib
import tarfile
from pathlib import Path

import pytest

from byline.security.tests.installs import (  # noqa: F401 (fixtures)
    attempt_restores,
    demo_install_fixture,
    drop_machine,
    machines_fixture,
    make_machine,
    manage,
    rewrite,
    run_sql,
    snapshot,
)

ADD_COMMENT = """
from byline.comments.models import Comment
from byline.news.models import ArticlePage
Comment.objects.create(article=ArticlePage.objects.live().first(), name="After",
    email="after@example.org", text="Written after the backup", status="approved")
"""


@pytest.fixture(scope="module")
def backed_up(demo_install, tmp_path_factory):
    """A site, its archive, and a comment written since, shared by the tests
    of refused restores (a restore that went through would remove it)."""
    folder = tmp_path_factory.mktemp("backed-up")
    site = make_machine(demo_install, folder)
    archive = folder / "site.tar.gz"
    manage(site, "backup", str(archive))
    manage(site, "shell", "--no-imports", "-c", ADD_COMMENT)
    yield site, archive, snapshot(site)
    drop_machine(site)


def database_member(archive):
    with tarfile.open(archive) as opened:
        return next(n for n in opened.getnames() if n.startswith("database"))


def test_a_manifest_naming_a_missing_member_changes_nothing(backed_up, tmp_path):
    """The manifest names a database the archive does not hold: refused, and
    the live database keeps everything (it used to be emptied)."""
    site, archive, before = backed_up

    def missing(manifest):
        return {**manifest, "database": "database-gone.sqlite3"}

    bad = rewrite(archive, tmp_path / "bad.tar.gz", missing)
    (error,), after = attempt_restores(site, [bad])
    assert error and "database" in error
    assert after == before


def test_a_manifest_naming_a_host_file_is_refused(backed_up, tmp_path):
    """An older dump left on the host, named by an absolute or ../ path, is
    not restored in place of the archive's own."""
    site, archive, before = backed_up
    planted = tmp_path / "planted" / "old-dump"
    planted.parent.mkdir()
    with tarfile.open(archive) as opened:
        planted.write_bytes(opened.extractfile(database_member(archive)).read())
    archives = []
    for n, target in enumerate([str(planted), f"../../../../..{planted}"]):
        archives.append(
            rewrite(archive, tmp_path / f"bad{n}.tar.gz",
                    lambda manifest, t=target: {**manifest, "database": t})
        )  # fmt: skip
    errors, after = attempt_restores(site, [archives[0]], [archives[1]])
    assert all(error and "database" in error for error in errors), errors
    assert after == before


def test_a_database_short_of_its_manifest_changes_nothing(backed_up, tmp_path):
    """The archive's database is restored aside and counted first: one that
    does not hold what the manifest counted never replaces the live one."""
    site, archive, before = backed_up

    def more(manifest):
        counts = {**manifest["counts"], "articles": manifest["counts"]["articles"] + 1}
        return {**manifest, "counts": counts}

    bad = rewrite(archive, tmp_path / "bad.tar.gz", more)
    (error,), after = attempt_restores(site, [bad])
    assert error and "nothing was restored" in error
    assert after == before


def test_a_damaged_database_with_a_matching_checksum_changes_nothing(
    backed_up, tmp_path
):
    """A database damaged before it was checksummed fails its own checks
    (SQLite's integrity_check, pg_restore) and the live one is kept."""
    site, archive, before = backed_up
    name = database_member(archive)

    def damage(content):
        out = []
        for member, data in content:
            if member.name == name:
                data = bytearray(data)
                if data.startswith(b"SQLite format 3\0"):
                    # The b-tree header of page 2: an invalid page type.
                    start = int.from_bytes(data[16:18], "big")
                else:
                    # pg_dump -Fc writes its table of contents first (the
                    # schema's SQL and the entries' names, uncompressed, most
                    # of a small dump) and the tables' compressed data after
                    # it. The middle of the file was once data and is now
                    # names, whose damage changes only comments in the SQL.
                    start = len(data) - 1024
                for i in range(start, start + 64):
                    data[i] ^= 0x5A
                data = bytes(data)
            out.append((member, data))
        return out

    damaged = rewrite(archive, tmp_path / "damaged.tar.gz", members=damage)
    with tarfile.open(damaged) as opened:
        digest = hashlib.sha256(opened.extractfile(name).read()).hexdigest()

    def matching(manifest):
        return {**manifest, "files": {**manifest["files"], name: digest}}

    bad = rewrite(damaged, tmp_path / "bad.tar.gz", matching)
    (error,), after = attempt_restores(site, [bad])
    assert error
    assert after == before


def link(name, kind, target):
    member = tarfile.TarInfo(name)
    member.type, member.linkname = kind, target
    return member, b""


ATTACKS = {
    "parent path": lambda c: c + [(tarfile.TarInfo("media/../../escaped"), b"x")],
    "absolute path": lambda c: c + [(tarfile.TarInfo("/tmp/escaped"), b"x")],
    "symbolic link": lambda c: c + [link("media/key", tarfile.SYMTYPE, "/etc/passwd")],
    "hard link": lambda c: c + [link("media/key", tarfile.LNKTYPE, "manifest.json")],
    "unlisted member": lambda c: c + [(tarfile.TarInfo("media/extra.txt"), b"x")],
    "odd top level": lambda c: c + [(tarfile.TarInfo("settings.py"), b"x")],
    "listed outside": lambda c: [
        (m, d.replace(b'"files": {', b'"files": {"../outside": "' + b"0" * 64 + b'", '))
        if m.name == "manifest.json"
        else (m, d)
        for m, d in c
    ],
}


def test_malicious_members_are_refused_before_anything_changes(backed_up, tmp_path):
    """Members or manifest names outside the restore folder, links and
    unlisted files: each archive refused, nothing written, nothing changed."""
    site, archive, before = backed_up
    bad = [
        rewrite(archive, tmp_path / f"{n}.tar.gz", members=attack)
        for n, attack in enumerate(ATTACKS.values())
    ]
    errors, after = attempt_restores(site, *[[path] for path in bad])
    for attack, error in zip(ATTACKS, errors, strict=True):
        assert error and ("refusing" in error or "manifest" in error), attack
    assert not Path("/tmp/escaped").exists()
    assert after == before


def test_a_restore_leaves_nothing_the_archive_does_not_hold(machines, tmp_path):
    """The restored database is the archive's whole: a table created since
    (a later migration, or an intruder's) does not survive it."""
    site = machines("site")
    archive = tmp_path / "site.tar.gz"
    manage(site, "backup", str(archive))
    run_sql(site, "CREATE TABLE leftover_from_before (secret text)")
    manage(site, "restore", str(archive), "--yes")
    result = manage(site, "shell", "--no-imports", "-c",
                    "from django.db import connection\n"
                    "print(connection.introspection.table_names())")  # fmt: skip
    assert "leftover_from_before" not in result.stdout
    assert "news_articlepage" in result.stdout
