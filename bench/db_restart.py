"""Restart PostgreSQL in the middle of a load: readers and commenters must get
clear answers (pages from the cache, or 503 with a retry page), never a 500,
and no comment may be lost, duplicated, or saved after the reader was told 503.

    .venv/bin/python bench/db_restart.py --postgres postgres://postgres@127.0.0.1:5432/postgres

It restarts the machine's PostgreSQL cluster (pg_ctlcluster): do not run it while
anything else (a test run, CI) uses that server.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    drop_postgres,
    free_port,
    install_newsroom,
    manage,
    production_env,
    scratch_postgres,
    start_gunicorn,
)
from comments import RAISED_LIMITS, poster, tally
from spike import PATHS_SCRIPT, readers


def restart_postgres():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.perf_counter()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", required=True, help="server URL (scratch db)")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--restart-at", type=float, default=10)
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--commenters", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="byline-restart-") as tmp:
        scratch, url = scratch_postgres(args.postgres)
        env = production_env(Path(tmp), DATABASE_URL=url, **RAISED_LIMITS)
        env.pop("REDIS_URL", None)
        try:
            install_newsroom(env, DEFAULT_CORPUS, 500, tmp)
            paths = Path(tmp) / "paths.txt"
            paths.write_text(manage(env, "shell", "--no-imports", "-c", PATHS_SCRIPT))
            ok = run(env, args, paths)
        finally:
            drop_postgres(args.postgres, scratch)
    print("PASS" if ok else "FAIL: see the figures above")
    sys.exit(0 if ok else 1)


def run(env, args, paths):
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    results, lock, reader_result, restart = [], threading.Lock(), {}, {}
    try:
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=poster, args=(base, env["SECRET_KEY"], deadline, results, lock)
            )
            for _ in range(args.commenters)
        ]
        threads.append(
            threading.Thread(
                target=lambda: reader_result.update(
                    readers(base, paths, args.seconds, args.readers)
                )
            )
        )

        def restarter():
            time.sleep(args.restart_at)
            restart["at"] = time.monotonic()
            restart["took"] = restart_postgres()

        threads.append(threading.Thread(target=restarter))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    time.sleep(1)
    t = tally(env, results)
    server_errors = sum(n for s, n in t.statuses.items() if s >= 500 and s != 503)
    r = reader_result
    print(
        f"PostgreSQL restarted after {args.restart_at:.0f}s (took "
        f"{restart['took']:.1f}s), {args.workers} gunicorn workers, "
        f"{args.seconds}s of load:"
    )
    print(
        f"  readers ({args.readers}): {r['rps']:.1f} pages/s, p99 {r['p99']:.0f} ms, "
        f"{int(r['requests'])} pages, 503 {int(r['e503'])}, other 5xx "
        f"{int(r['e5xx'])}, socket errors {int(r['errors'])}"
    )
    print(f"  commenters ({args.commenters}): statuses {t.statuses}")
    print(
        f"  comments: {len(t.accepted)} accepted, {len(t.stored)} stored, lost "
        f"{len(t.lost)}, duplicated {t.duplicated}, saved despite a 503 "
        f"{len(t.saved_after_503)}"
    )
    return (
        not t.lost
        and not t.duplicated
        and not t.saved_after_503
        and not server_errors
        and not r["e5xx"]
    )


if __name__ == "__main__":
    main()
