"""Start a streaming replica of a local PostgreSQL server, for tests and benchmarks.

Debian's server binaries (`pg_basebackup`, `pg_ctl` under /usr/lib/postgresql/
<version>/bin) copy the primary into a folder under /tmp and start a hot
standby there on another port, following the primary over streaming
replication (`pg_basebackup -R` writes the connection it follows). The primary
must allow replication connections from 127.0.0.1: `allow_replication` adds a
`host replication` line to its pg_hba.conf and reloads it when none is there
and the file is writable (so a fresh CI machine gets it too); otherwise it
raises `ReplicaUnavailable`, and tests skip.

The copy is of the whole server, every database on it, not only the one under
test: before copying, `ensure_room` compares the server's size with the free
space of the target folder and raises `ReplicaUnavailable` when the copy would
not fit (a machine that also keeps a million-article archive must not fill its
disk because a test wanted a replica).

Nothing here runs in production: a real replica is set up by its operator
(`pg_basebackup`, `pg_createcluster`, or the hosting service).
"""

import glob
import os
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import psycopg

HBA_LINE = "host replication all 127.0.0.1/32 trust"
# A hot standby needs these at least as high as on its primary.
MATCHED = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


# Besides the copy itself: the WAL streamed while copying and the standby's own.
ROOM_MARGIN = 1 << 30


class ReplicaUnavailable(RuntimeError):
    """This machine cannot start a replica (not PostgreSQL, no binaries…)."""


def server_bytes(conn):
    """Return the bytes a base backup of this server copies: every database
    and the write-ahead log it holds."""
    databases = conn.execute(
        "SELECT coalesce(sum(pg_database_size(oid)), 0) FROM pg_database"
    ).fetchone()[0]
    wal = conn.execute("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()").fetchone()
    return int(databases) + int(wal[0])


def ensure_room(needed, folder):
    """Raise ReplicaUnavailable unless `folder`'s file system has room for a
    copy of `needed` bytes and the margin."""
    free = shutil.disk_usage(folder).free
    if needed + ROOM_MARGIN > free:
        raise ReplicaUnavailable(
            f"a copy of the server needs {needed / 2**30:.1f} GB and "
            f"{ROOM_MARGIN / 2**30:.0f} GB spare; {folder} has {free / 2**30:.1f} GB "
            "free (other databases on the server count: pg_basebackup copies all)"
        )


def binaries(version):
    """Return the folder of the server binaries of this major version."""
    for folder in sorted(glob.glob(f"/usr/lib/postgresql/{version}/bin")):
        if Path(folder, "pg_basebackup").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    raise ReplicaUnavailable(f"no PostgreSQL {version} server binaries")


def allow_replication(conn):
    """Let 127.0.0.1 open replication connections, with a reload if needed."""
    rules = conn.execute(
        "SELECT count(*) FROM pg_hba_file_rules "
        "WHERE 'replication' = ANY(database) AND error IS NULL"
    ).fetchone()[0]
    if rules:
        return
    hba = Path(conn.execute("SHOW hba_file").fetchone()[0])
    try:
        with hba.open("a") as file:
            file.write(
                f"\n# Added by Byline's replica helper (tests, bench)\n{HBA_LINE}\n"
            )
    except OSError as error:
        raise ReplicaUnavailable(
            f"{hba} allows no replication and cannot be changed ({error}): "
            f"add '{HBA_LINE}' and reload"
        ) from None
    conn.execute("SELECT pg_reload_conf()")
    time.sleep(0.5)


class Replica:
    """A hot standby of the primary at `primary_url`, on `port`, in `folder`."""

    def __init__(self, primary_url, folder, port):
        self.primary_url = primary_url
        self.folder = Path(folder)
        self.port = port
        self.data = self.folder / "data"
        self.bin = None

    def url(self, database):
        """The replica's URL for one database of the primary."""
        parts = urllib.parse.urlsplit(self.primary_url)
        netloc = f"{parts.username or 'postgres'}@127.0.0.1:{self.port}"
        return urllib.parse.urlunsplit(
            parts._replace(netloc=netloc, path=f"/{database}")
        )

    def start(self):
        try:
            conn = psycopg.connect(self.primary_url, autocommit=True, connect_timeout=5)
        except psycopg.Error as error:
            raise ReplicaUnavailable(f"the primary does not answer: {error}") from None
        with conn:
            version = conn.info.server_version // 10000
            self.bin = binaries(version)
            if conn.execute("SHOW wal_level").fetchone()[0] == "minimal":
                raise ReplicaUnavailable("the primary runs with wal_level=minimal")
            allow_replication(conn)
            matched = {
                name: conn.execute(f"SHOW {name}").fetchone()[0] for name in MATCHED
            }
            needed = server_bytes(conn)
        parts = urllib.parse.urlsplit(self.primary_url)
        self.folder.mkdir(parents=True, exist_ok=True)
        ensure_room(needed, self.folder)
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: the server's own user runs it.
            shutil.chown(self.folder, "postgres", "postgres")
        run = [str(self.bin / "pg_basebackup"), "-D", str(self.data), "-R"]
        run += ["-X", "stream", "-c", "fast", "-h", parts.hostname or "127.0.0.1"]
        run += ["-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
        _run(run)
        self._write_config()
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += " -c hot_standby=on"
        options += "".join(f" -c {name}={value}" for name, value in matched.items())
        self._pg_ctl("start", "-w", "-t", "60", "-o", options)
        return self

    def _write_config(self):
        # Debian keeps a cluster's configuration in /etc, so the copy has none:
        # the replica gets its own, trusting local connections only.
        files = {
            "postgresql.conf": "",
            "pg_ident.conf": "",
            "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
        }
        for name, text in files.items():
            path = self.data / name
            if not path.exists():
                path.write_text(text)
                if os.geteuid() == 0:
                    shutil.chown(path, "postgres", "postgres")

    def stop(self):
        if self.bin and (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "fast", "-w")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _pg_ctl(self, *args):
        log = str(self.folder / "replica.log")
        _run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", log, *args])

    def lag(self, database="postgres"):
        """Return (bytes of WAL not yet replayed, seconds since the last
        replayed transaction was committed on the primary)."""
        with psycopg.connect(self.primary_url, autocommit=True) as primary:
            position = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        with psycopg.connect(self.url(database), autocommit=True) as replica:
            row = replica.execute(
                "SELECT pg_wal_lsn_diff(%s, pg_last_wal_replay_lsn()), "
                "extract(epoch FROM now() - pg_last_xact_replay_timestamp())",
                [position],
            ).fetchone()
        return max(0, int(row[0])), float(row[1] or 0)

    def wait_caught_up(self, database="postgres", timeout=30):
        """Wait until the replica has replayed the primary's present position;
        return the seconds it took."""
        with psycopg.connect(self.primary_url, autocommit=True) as primary:
            position = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        started = time.monotonic()
        with psycopg.connect(self.url(database), autocommit=True) as replica:
            while time.monotonic() - started < timeout:
                done = replica.execute(
                    "SELECT pg_last_wal_replay_lsn() >= %s", [position]
                ).fetchone()[0]
                if done:
                    return time.monotonic() - started
                time.sleep(0.01)
        raise TimeoutError(f"the replica did not catch up in {timeout}s")


def _run(command):
    """Run a server binary, as the server's user when we are root (PostgreSQL
    refuses to run as root); fail with what it said."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise RuntimeError(f"{command[-1]!r}… failed: {done.stderr.strip()}")
