"""Django runs on RENDER_THREADS threads of the process, in arrival order, and
the server's other threads stay free for kept pages (pagecache/render_threads).
The last test serves as `make run` does, with gunicorn and a real database.
"""

import http.cookiejar
import json
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from io import BytesIO, StringIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signing
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from byline.core.tests.test_gunicorn_sockets import _free_port
from byline.core.tests.test_serving import ROOT, site  # noqa: F401 (fixture)
from byline.operations.tests.test_backup import machines  # noqa: F401 (fixture)
from byline.pagecache import render_threads


def _environ(path="/", threaded=True):
    # gunicorn's gthread worker (make run) says it is threaded.
    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost"}
    environ["wsgi.multithread"] = threaded
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = StringIO()
    return environ


class _Counting:
    """A WSGI application that takes `seconds` and records how many of its
    calls overlapped, and in which order they began."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.inside = 0
        self.most = 0
        self.began = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.inside += 1
            self.most = max(self.most, self.inside)
            self.began.append(environ["PATH_INFO"])
        time.sleep(self.seconds)
        with self.lock:
            self.inside -= 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return HttpResponse(environ["PATH_INFO"])


@pytest.fixture
def fresh_pool(settings):
    """A pool of the size a test sets, made anew for it."""

    def make(size):
        settings.RENDER_THREADS = size
        render_threads._pool["pid"] = None

    yield make
    render_threads._pool["pid"] = None


def test_no_more_than_render_threads_requests_are_in_django_at_once(fresh_pool):
    fresh_pool(2)
    application = _Counting(0.05)
    answers = {}

    def request(n, started):
        started.set()
        body = render_threads.render(application, _environ(f"/{n}"), lambda *a: None)
        answers[n] = b"".join(body)

    threads = []
    for n in range(10):
        # One after another, each running before the next starts (on a loaded
        # machine a fixed 5 ms gap let a later thread arrive first).
        started = threading.Event()
        threads.append(threading.Thread(target=request, args=(n, started)))
        threads[-1].start()
        started.wait(5)
        time.sleep(0.01)
    for thread in threads:
        thread.join(10)

    assert application.most == 2
    assert application.began == [f"/{n}" for n in range(10)]  # first come, first in
    assert answers == {n: f"/{n}".encode() for n in range(10)}


def test_a_finished_answer_is_closed_on_the_thread_that_rendered_it(fresh_pool):
    fresh_pool(1)
    closed_on = []

    def note(**kwargs):
        closed_on.append(threading.current_thread().name)

    def application(environ, start_response):
        start_response("200 OK", [])
        return HttpResponse(b"whole")

    request_finished.connect(note)
    try:
        body = render_threads.render(application, _environ(), lambda *a: None)
    finally:
        request_finished.disconnect(note)
    assert body == [b"whole"]
    # request_finished (Django closes the thread's database connections on it)
    # ran on the render thread, not on the server's.
    assert len(closed_on) == 1 and closed_on[0].startswith("render")
    assert closed_on[0] != threading.current_thread().name


def test_no_more_than_kept_page_threads_answer_kept_pages_at_once(fresh_pool, settings):
    fresh_pool(1)
    settings.KEPT_PAGE_THREADS = 2
    render_threads._pool["pid"] = None
    inside, most, lock = [0], [0], threading.Lock()

    def answer():
        with render_threads.kept_pages(_environ()):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=answer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most[0] == 2


def test_a_server_of_one_thread_runs_django_on_its_own_thread(fresh_pool):
    fresh_pool(1)
    ran_on = []

    def application(environ, start_response):
        ran_on.append(threading.current_thread())
        return [b"as it is"]

    answer = render_threads.render(application, _environ(threaded=False), None)
    assert answer == [b"as it is"]
    assert ran_on == [threading.current_thread()]


@pytest.mark.django_db  # closing an answer sends request_finished
def test_streams_and_files_are_handed_back_unread(fresh_pool, tmp_path):
    fresh_pool(1)
    read = []

    def chunks():
        read.append("read")
        yield b"chunk"

    stored = tmp_path / "big.bin"
    stored.write_bytes(b"x" * 1024)
    answers = [StreamingHttpResponse(chunks()), FileResponse(open(stored, "rb"))]
    for answer in answers:
        got = render_threads.render(
            lambda environ, start_response, answer=answer: answer,
            _environ(),
            lambda *a: None,
        )
        assert got is answer
        got.close()
    assert read == []


@pytest.mark.django_db
def test_django_itself_answers_through_the_render_threads(fresh_pool):
    fresh_pool(2)
    statuses = []
    environ = _environ("/robots.txt")
    environ["wsgi.input"] = BytesIO()
    body = render_threads.render(
        WSGIHandler(), environ, lambda status, headers: statuses.append(status)
    )
    assert statuses == ["200 OK"]
    assert b"Sitemap" in b"".join(body)


def _answer(url, timeout, opener=None):
    opener = opener or urllib.request.build_opener()
    with opener.open(url, timeout=timeout) as response:
        return response.status, response.headers, response.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _poster(base, article, secret):
    """A commenter's browser: its cookie, CSRF token and form, ready to post."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect()
    )
    page = _answer(base + article, 10, opener)[2].decode()
    action = re.search(r'action="(/comments/article/\d+/post/)', page).group(1)
    csrf = json.loads(_answer(base + "/forms/token/", 10, opener)[2])["csrf"]
    marker = f"waiting-{uuid.uuid4().hex}"
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "name": "Storm Reader",
            "email": f"{marker}@example.org",
            "text": marker,
            # The form's stamp, dated a minute ago (a form filled in that fast
            # is a robot's).
            "ts": signing.dumps(
                time.time() - 60, salt="byline.comments.form", key=secret
            ),
            "website": "",
        }
    ).encode()
    request = urllib.request.Request(
        base + action, data=data, headers={"Referer": base + article}
    )
    return opener, request


@contextmanager
def _writes_held(env):
    """Hold the database's write lock, as a long write elsewhere would."""
    if env.get("DATABASE_URL"):
        import psycopg

        with psycopg.connect(env["DATABASE_URL"]) as connection:
            connection.execute("LOCK TABLE comments_comment IN EXCLUSIVE MODE")
            yield
            connection.rollback()
    else:
        database = Path(env["BYLINE_VAR_DIR"]) / "byline.sqlite3"
        connection = sqlite3.connect(database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.rollback()
            connection.close()


def test_kept_pages_are_answered_while_posts_wait_for_the_database(site, tmp_path):  # noqa: F811
    """Served as `make run` serves (one worker here, four threads), a dozen
    comments waiting for the database do not hold up readers of kept pages:
    with server threads fewer than the posts waiting (gthread), they held them
    all, and a reader waited until the database let go. The event loop
    answers kept pages without a thread (pagecache/asgi.py)."""
    env, article = site
    env.update(COMMENTS_IP_LIMIT="1000", COMMENTS_EMAIL_LIMIT="1000")
    env["RATE_LIMIT_POSTS"] = "1000"
    port = _free_port()
    command = subprocess.run(
        ["make", "-s", "--no-print-directory", "print-serve", f"PORT={port}"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("THREADS", "WORKERS")}
        | {"WORKERS": "1", "THREADS": "4"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w")
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server, log)
        _answer(base + article, 10)
        first = _answer(base + article, 10)[1]
        assert first["X-Page-Cache"] == "hit"
        assert "Server" not in first  # pagecache/worker.py
        posters = [_poster(base, article, env["SECRET_KEY"]) for _ in range(12)]
        statuses = []

        def post(opener, request):
            try:
                statuses.append(opener.open(request, timeout=60).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

        threads = [threading.Thread(target=post, args=p) for p in posters]
        with _writes_held(env):
            for thread in threads:
                thread.start()
            time.sleep(1.5)  # every post is in the server, waiting
            started = time.monotonic()
            status, headers, body = _answer(base + article, timeout=3)
            waited = time.monotonic() - started
        for thread in threads:
            thread.join(60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)
    # A kept page, fresh or (the scheduler may have published meanwhile) stale.
    assert status == 200 and headers["X-Page-Cache"] in ("hit", "stale")
    assert waited < 1.0, waited
    # The posts were only delayed: each is answered as a post is, and kept.
    assert sorted(statuses) == [302] * 12, log.read_text()[-3000:]


def _wait_until_serving(base, server, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            _answer(base + "/robots.txt", 5)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("gunicorn did not answer: " + log.read_text()[-3000:])
