"""The served processes stay light: web workers never load the text model's
libraries (numpy, scipy, scikit-learn), and gunicorn's master, configured by
deploy/gunicorn.conf.py, loads the code once and forks the scheduler.

Real processes on a real install: `manage.py migrate`, the WSGI application in
a fresh interpreter, and gunicorn itself."""

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from byline.operations.tests.test_backup import machines, manage  # noqa: F401 (fixture)
from byline.provenance import keyfile

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("numpy", "scipy", "sklearn")

CONTENT = """
from datetime import timedelta
from django.utils import timezone
from byline.news.models import ArticlePage
from byline.news.site_setup import ensure_home_page, ensure_section
home = ensure_home_page()
section = ensure_section(home, "World", "")
article = ArticlePage(
    title="Rivers rise", standfirst="Rain all week.", body="<p>The rivers rose.</p>",
    published_at=timezone.now(),
)
section.add_child(instance=article)
article.save_revision().publish()
later = ArticlePage(title="Due story", standfirst="Due.", body="<p>Due</p>", live=False)
section.add_child(instance=later)
hour = timedelta(hours=1)
revision = later.save_revision(approved_go_live_at=timezone.now() + hour)
revision.approved_go_live_at = timezone.now() - hour
revision.save()
print("/" + article.url_path.split("/", 2)[2])
"""

SERVE = """
import io, json, sys
from wsgiref.util import setup_testing_defaults
from byline.wsgi import application

statuses = []
for path, query in [("/", ""), (sys.argv[1], ""), ("/search/", "q=rivers")]:
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "localhost"}
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = io.StringIO()
    got = []
    body = b"".join(application(environ, lambda status, headers: got.append(status)))
    statuses.append((got[0], b"Rivers rise" in body))
heavy = sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[2:]))
print(json.dumps({"statuses": statuses, "heavy": heavy}))
"""


@pytest.fixture
def site(machines):  # noqa: F811 (the fixture imported above)
    env = machines("served")
    env["ALLOWED_HOSTS"] = "localhost,127.0.0.1"
    keyfile.create(env["PROVENANCE_SIGNING_KEY_FILE"])
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    article = manage(env, "shell", "--no-imports", "-c", CONTENT).stdout.strip()
    return env, article


def test_web_process_serves_pages_without_numpy_scipy_or_sklearn(site):
    """Importing the WSGI application and serving home, an article and search
    loads none of the libraries only the related-lists task needs."""
    env, article = site
    result = subprocess.run(
        [sys.executable, "-c", SERVE, article, *HEAVY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout.strip().splitlines()[-1])
    assert [status for status, _ in served["statuses"]] == ["200 OK"] * 3
    assert all(shown for _, shown in served["statuses"])
    assert served["heavy"] == []


def _tree(pid):
    """pid and every process below it."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def _children(pid, but=None):
    """The direct children of pid (leaving out `but`)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        if int(fields[1]) == pid and child != but:
            found.append(child)
    return found


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


def test_gunicorn_forks_the_scheduler_from_its_loaded_master(site, tmp_path):
    """Served with deploy/gunicorn.conf.py and SCHEDULER_IN_WEB=1: the workers
    and the forked scheduler are children of one master, the scheduler
    publishes a page that is due, neither the master nor a web worker maps
    numpy, scipy or scikit-learn, and all stop with the server."""
    env, article = site
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--env",
            "THREADS=2",
            "--env",
            "SCHEDULER_IN_WEB=1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, _ = _get(base + "/robots.txt")
                break
            except OSError:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
        status, body = _get(base + article)
        assert status == 200 and "Rivers rise" in body
        deadline = time.monotonic() + 60
        while "Due story" not in _get(base + "/")[1]:
            assert time.monotonic() < deadline, "the scheduler did not publish"
            time.sleep(1)
        scheduler = int(
            re.search(r"Scheduler forked with pid: (\d+)", log.read_text())[1]
        )
        # The master's children: two workers and the scheduler. The round
        # that published, a child of the scheduler, may still be finishing
        # (it refreshes related lists after the publish); it is not a web
        # process, so it is neither counted nor checked for the heavy libraries.
        children = _children(server.pid)
        assert len(children) == 3 and scheduler in children
        processes = _tree(server.pid)
        # Tasks run where they are queued here (the immediate backend): the
        # scheduler's publish refreshed the related lists in the scheduler.
        for pid in [server.pid, *children]:
            if pid == scheduler:
                continue
            maps = Path(f"/proc/{pid}/maps").read_text()
            assert not [name for name in HEAVY if f"/site-packages/{name}/" in maps]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    time.sleep(2)
    assert not [pid for pid in processes if _running(pid)]


def _running(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped; its new parent reaps it
