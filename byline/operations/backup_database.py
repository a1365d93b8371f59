"""The database part of a backup: dump it with the counts of that very
snapshot, and restore it into a temporary database that is checked before it
replaces the live one in a single transaction.

SQLite: the dump is made with the online backup API (a consistent copy while
the site keeps serving). On restore the archive's file is first opened as a
database of its own (the temporary database): `integrity_check`, then the
counts its manifest promises. Only then is it copied into the live database
with the backup API in one step, which SQLite does as one write transaction:
other processes see the old content or the new, never a mix, and a crash
midway leaves the old (the WAL rolls it back). Renaming a new file over the
live one would not be that: processes that have it open keep writing to the
old file, and the old file's -wal would be replayed onto the new one.

PostgreSQL: `pg_dump -Fc` runs in a snapshot exported by the transaction that
counts, so the counts describe exactly what was dumped. On restore the dump is
turned into SQL (`pg_restore --file`), and psql runs, in one transaction: drop
and recreate the `public` schema (keeping its owner and grants), the dump, and
checks that fail the transaction unless the restored tables hold what the
manifest counted. Any failure rolls everything back and the live database is
as it was; readers wait on the locks for the length of the restore. (A
separate database renamed over the live one would need CREATEDB, every
connection closed, and the database's own settings and grants copied.)
"""

import os
import re
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
# What a manifest counts, and in which model's table.
COUNTED = {
    "articles": "news.ArticlePage",
    "comments": "comments.Comment",
    "provenance_records": "provenance.ProvenanceRecord",
}


class BackupError(Exception):
    pass


def engine():
    vendor = connection.vendor
    if vendor not in MEMBER:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _table(label):
    name = apps.get_model(label)._meta.db_table
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise BackupError(f"unexpected table name {name!r}")
    return name


def pg_env():
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


def run(command, **kwargs):
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed") from None
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()}") from None


# --- dump ---------------------------------------------------------------------


def dump(vendor, folder):
    """Write the database into `folder`; return (path, counts of that snapshot)."""
    target = Path(folder) / MEMBER[vendor]
    if vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
            return target, _sqlite_counts(copy)
        finally:
            copy.close()
    with transaction.atomic(), connection.cursor() as cursor:
        # pg_dump joins this transaction's snapshot: the counts taken here
        # describe exactly the rows it writes.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = {}
        for what, label in COUNTED.items():
            cursor.execute(f"SELECT COUNT(*) FROM {_table(label)}")
            counts[what] = cursor.fetchone()[0]
        run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            env=pg_env(),
        )
    return target, counts


def _sqlite_counts(db):
    return {
        what: db.execute(f"SELECT COUNT(*) FROM {_table(label)}").fetchone()[0]
        for what, label in COUNTED.items()
    }


# --- restore --------------------------------------------------------------------


def restore(vendor, source, counts, workdir):
    """Replace the live database with `source` once it is proven complete.

    `counts` (from the manifest) must match what the restored database holds;
    None skips that comparison (archives of format 1 counted outside the
    dump's snapshot)."""
    if vendor == "sqlite":
        _restore_sqlite(source, counts)
    else:
        _restore_postgresql(source, counts, Path(workdir))


def _restore_sqlite(source, counts):
    try:
        check = sqlite3.connect(source)  # our private copy: opened as it is
        try:
            problems = [row[0] for row in check.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise BackupError(
                    "the archive's database is damaged (SQLite says: "
                    f"{'; '.join(problems[:3])}); nothing was restored"
                )
            found = _sqlite_counts(check)
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"the archive's database cannot be read ({exc}); nothing was restored"
        ) from None
    if counts is not None:
        for what in COUNTED:
            if found[what] != counts[what]:
                raise BackupError(
                    f"the archive's database holds {found[what]} {what}, its "
                    f"manifest counted {counts[what]}: nothing was restored"
                )
    connection.close()
    connection.ensure_connection()
    original = sqlite3.connect(source)
    try:
        # pages=-1: every page in one step, that is one write transaction.
        original.backup(connection.connection, pages=-1)
    finally:
        original.close()


# Keeps the schema's owner and grants (PostgreSQL 15 gives `public` to
# pg_database_owner with USAGE for everyone), then starts it empty.
PRELUDE = """
SET client_min_messages = warning;
CREATE TEMPORARY TABLE byline_public_acl ON COMMIT DROP AS
  SELECT n.nspowner::regrole::text AS owner, a.grantee, a.privilege_type
  FROM pg_catalog.pg_namespace n
  LEFT JOIN LATERAL pg_catalog.aclexplode(n.nspacl) a ON true
  WHERE n.nspname = 'public';
DROP SCHEMA IF EXISTS public CASCADE;
CREATE SCHEMA public;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT DISTINCT owner FROM pg_temp.byline_public_acl LOOP
    EXECUTE format('ALTER SCHEMA public OWNER TO %s', r.owner);
  END LOOP;
  FOR r IN SELECT grantee, privilege_type FROM pg_temp.byline_public_acl
           WHERE grantee IS NOT NULL LOOP
    EXECUTE format('GRANT %s ON SCHEMA public TO %s', r.privilege_type,
      CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE r.grantee::regrole::text END);
  END LOOP;
END $$;
"""

# Runs after the dump, inside the same transaction: an exception rolls the
# whole restore back. Table names and counts arrive as psql variables.
CHECKS = """
CREATE FUNCTION pg_temp.byline_expect(what text, actual bigint, expected bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF actual IS DISTINCT FROM expected THEN
    RAISE EXCEPTION
      'the archive''s database holds % %, its manifest counted %: nothing was restored',
      actual, what, expected;
  END IF;
END $$;
SELECT pg_temp.byline_expect('Django migration tables',
  (SELECT count(*) FROM pg_catalog.pg_tables
   WHERE schemaname = 'public' AND tablename = 'django_migrations'), 1);
"""
COUNT_CHECK = (
    "SELECT pg_temp.byline_expect('{what}', "
    "(SELECT count(*) FROM public.:\"{what}_table\"), :'{what}');\n"
)


def _restore_postgresql(source, counts, workdir):
    script = workdir / "restore.sql"
    # A file that is not a pg_dump archive fails here, before any connection.
    run(["pg_restore", "--no-owner", f"--file={script}", str(source)])
    checks = CHECKS
    variables = []
    for what, label in COUNTED.items():
        variables += ["-v", f"{what}_table={_table(label)}"]
        if counts is not None:
            variables += ["-v", f"{what}={int(counts[what])}"]
            checks += COUNT_CHECK.format(what=what)
    (workdir / "prelude.sql").write_text(PRELUDE)
    (workdir / "checks.sql").write_text(checks)
    connection.close()
    run(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "-v",
            "ON_ERROR_STOP=1",
            *variables,
            "-f",
            str(workdir / "prelude.sql"),
            "-f",
            str(script),
            "-f",
            str(workdir / "checks.sql"),
        ],
        env=pg_env(),
    )
