"""Shared set-up for the benchmarks: a throwaway production-mode install."""

import json
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "bbc_dev.jsonl"


def production_env(var_dir, **extra):
    """Return the environment of a DEBUG=0 install living in var_dir."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        PROVENANCE_SIGNING_KEY_FILE=signing_key(var_dir),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        BYLINE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="byline.settings",
        **extra,
    )
    return env


def signing_key(var_dir):
    """Create the install's provenance key once and return its path."""
    from byline.provenance import keyfile

    path = Path(var_dir) / "provenance" / "signing-key.pem"
    if not path.exists():
        keyfile.create(path)
    return str(path)


def manage(env, *args, capture=True):
    """Run a management command of the install and return its stdout."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def read_corpus(source):
    return [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]


def install_newsroom(env, source, count, tmp):
    """Migrate, collect static files, load the demo and import `count` articles
    of `source` (repeated with new ids): the site most benchmarks serve."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "load_demo")
    corpus = Path(tmp) / "corpus.jsonl"
    repeat_corpus(source, corpus, count)
    return manage(env, "import_articles", str(corpus), "--no-progress")


def repeat_corpus(source, target, count, shuffle_copies=False, seed=7):
    """Write `count` records to target, cycling through source with fresh ids.

    With shuffle_copies, every copy after the first has its sentences shuffled,
    so a large archive is not the same documents over and over.
    """
    rng = random.Random(seed)
    records = read_corpus(source)
    with open(target, "w", encoding="utf-8") as out:
        for i in range(count):
            record = dict(records[i % len(records)])
            record["id"] = f"{record['id']}~{i // len(records)}"
            if shuffle_copies and i >= len(records):
                sentences = re.split(r"(?<=[.!?])\s+", record["body"])
                rng.shuffle(sentences)
                record["body"] = " ".join(sentences)
            out.write(json.dumps(record) + "\n")
    return records


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(port, processes, seconds=60, path="/robots.txt"):
    """Return once the server on port answers (any HTTP status counts); stop
    the processes and exit if it has not within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)
            return
        except urllib.error.HTTPError:
            return  # it answered, even if with an error page
        except OSError:
            time.sleep(0.5)
    for process in processes:
        process.terminate()
    raise SystemExit("Byline did not start")


def start_gunicorn(env, port, workers):
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [
            gunicorn,
            "byline.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_serving(port, [process], path="/")
    return process


def wrk(url, seconds=10, connections=32, threads=2):
    """Load url with wrk from a second process and return its figures as a dict."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    script = Path(__file__).with_name("wrk_report.lua")
    output = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(script),
            url,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}


def scratch_postgres(url):
    """Create an empty database on the server at url; return (name, its URL)."""
    import psycopg

    name = f"byline_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(url)
    return name, urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
