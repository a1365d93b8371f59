"""Import rate: one fixed article file into a fresh install, wall and CPU time.

    .venv/bin/python bench/import_rate.py [--articles 10000] [--dir DIR]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--runs 3]
        [--profile FILE] [--batch-size 500] [--db-prefix importrate]
        [--template DATABASE]

The corpus is `bench/archive.py`'s (BBC and ECB+ dev files repeated to N
articles, copies shuffled), written once to DIR and reused, so runs compare the
same bytes. Each run starts from a freshly migrated, empty database (a copy of
one migrated template: SQLite's file, or PostgreSQL's `CREATE DATABASE …
TEMPLATE`) and times `manage.py import_articles --no-progress` in production
mode (signing and both search indexes included, `RELATED_AFTER_IMPORT=0`).

It prints, per run: wall seconds, the import's CPU seconds (the command and any
worker processes it waited for), on PostgreSQL the CPU seconds of the server
backends serving the import's database (read from /proc while it runs), and
the load average before and after. With `--profile FILE` the (single) run is
under cProfile instead and its statistics are written to FILE.
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

from _setup import ROOT, manage, production_env
from archive import make_corpus

TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid):
    """CPU seconds (user + system) a live process has used, or None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


class BackendCPU:
    """CPU seconds of the PostgreSQL backends connected to one database, sampled
    every `interval` until they leave (a backend's last interval is missed)."""

    def __init__(self, server_url, database):
        import psycopg

        self.connection = psycopg.connect(server_url, autocommit=True)
        self.database = database
        self.seen = {}  # backend pid: CPU seconds at the last sample

    def sample(self):
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
        ).fetchall()
        for (pid,) in rows:
            cpu = process_cpu(pid)
            if cpu is not None:
                self.seen[pid] = max(cpu, self.seen.get(pid, 0.0))

    def total(self):
        return sum(self.seen.values())


def run_import(env, corpus, batch_size, backends=None, profile=None):
    """Return (wall s, CPU s of the command and its children, server CPU s)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [sys.executable]
    if profile:
        command += ["-m", "cProfile", "-o", str(profile)]
    command += [str(ROOT / "manage.py"), "import_articles", str(corpus)]
    command += ["--no-progress", "--batch-size", str(batch_size)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE)
    while process.poll() is None:
        if backends:
            backends.sample()
        time.sleep(0.05)
    wall = time.perf_counter() - started
    out = process.stdout.read().decode()
    if process.returncode:
        raise SystemExit(f"import_articles failed: {out}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(out.strip(), file=sys.stderr)
    return wall, cpu, backends.total() if backends else None


def sqlite_runs(args, work, corpus):
    template = work / "template"
    if not (template / "byline.sqlite3").exists():
        manage(production_env(template, RELATED_AFTER_IMPORT="0"), "migrate")
    for _ in range(args.runs):
        var_dir = Path(tempfile.mkdtemp(prefix="run-", dir=work))
        shutil.copytree(template, var_dir, dirs_exist_ok=True)
        env = production_env(var_dir, RELATED_AFTER_IMPORT="0")
        yield run_import(env, corpus, args.batch_size, profile=args.profile)
        shutil.rmtree(var_dir)


def postgres_runs(args, work, corpus):
    import psycopg

    parts = urllib.parse.urlsplit(args.postgres)
    url_of = lambda name: urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))  # noqa: E731
    template = args.template or f"{args.db_prefix}_tpl_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(args.postgres, autocommit=True) as server:
        if not args.template:
            server.execute(f'CREATE DATABASE "{template}"')
        try:
            manage(
                production_env(work / "template-pg", DATABASE_URL=url_of(template)),
                "migrate",
            )
            for _ in range(args.runs):
                name = f"{args.db_prefix}_run_{uuid.uuid4().hex[:6]}"
                server.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                env = production_env(
                    work / "template-pg",
                    DATABASE_URL=url_of(name),
                    RELATED_AFTER_IMPORT="0",
                )
                backends = BackendCPU(args.postgres, name)
                try:
                    yield run_import(
                        env, corpus, args.batch_size, backends, args.profile
                    )
                finally:
                    backends.connection.close()
                    server.execute(f'DROP DATABASE "{name}"')
        finally:
            if not args.template:
                server.execute(f'DROP DATABASE "{template}"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--dir", help="keep the corpus and template here")
    parser.add_argument("--postgres", help="server URL for scratch databases")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--db-prefix", default="importrate", help="scratch names")
    parser.add_argument("--template", help="a database to migrate and copy, kept")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--profile", help="run once under cProfile, stats here")
    args = parser.parse_args()
    if args.profile:
        args.runs = 1
    work = Path(args.dir or tempfile.mkdtemp(prefix="byline-import-rate-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"archive-{args.articles}.jsonl"
    make_corpus(corpus, args.articles)
    for variable in ("REDIS_URL", "DATABASE_URL"):
        os.environ.pop(variable, None)
    runs = postgres_runs if args.postgres else sqlite_runs
    database = "PostgreSQL" if args.postgres else "SQLite"
    for wall, cpu, server in runs(args, work, corpus):
        load = os.getloadavg()
        line = (
            f"{database}: {args.articles:,} articles in {wall:.2f} s wall "
            f"({args.articles / wall:,.0f}/s), import CPU {cpu:.2f} s "
            f"({args.articles / cpu:,.0f} per CPU-second)"
        )
        if server is not None:
            line += (
                f", server CPU {server:.2f} s, together "
                f"{args.articles / (cpu + server):,.0f} per CPU-second"
            )
        print(line + f"; load average {load[0]:.2f} {load[1]:.2f}", flush=True)


if __name__ == "__main__":
    main()
