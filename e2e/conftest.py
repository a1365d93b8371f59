"""Browser tests: a real Byline install served by gunicorn, driven by Chromium.

The server is set up exactly as `make run` sets it up (migrate, collectstatic,
load_demo, gunicorn with DEBUG off) in a temporary folder with its own SQLite
file, so these tests see what a new user sees.
"""

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "e2e" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer at {url} within {timeout}s")


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (install Debian's chromium package)")
    return CHROMIUM


@pytest.fixture(scope="session")
def site_url(tmp_path_factory, chromium_path):
    """Return the base URL of a demo site served by gunicorn for this test session."""
    with _served(tmp_path_factory, SITE) as url:
        yield url


@pytest.fixture(scope="session")
def arabic_site_url(tmp_path_factory, chromium_path):
    """The demo site with LANGUAGE_CODE=ar: a right-to-left interface (its own
    database and server, started only for the tests that ask for it)."""
    with _served(tmp_path_factory, {}, LANGUAGE_CODE="ar") as url:
        yield url


@contextlib.contextmanager
def _served(tmp_path_factory, record, **settings):
    """Set a demo site up as `make run` does, serve it, and yield its URL;
    `record` is given its environment, `settings` override the environment."""
    var_dir = tmp_path_factory.mktemp("e2e-var")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    port = _free_port()
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        BYLINE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="byline.settings",
        SITE_URL=f"http://127.0.0.1:{port}",
        PROVENANCE_SIGNING_KEY_FILE=str(var_dir / "provenance" / "signing-key.pem"),
        # Mail lands in files the tests read, as a reader's inbox.
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(var_dir / "mail"),
        # Every browser test posts from 127.0.0.1 to this one site: at the real
        # limits one test's posts would refuse the next test's. The limits have
        # tests of their own, outside the browser.
        RATE_LIMIT_POSTS="1000",
        COMMENTS_IP_LIMIT="1000",
        COMMENTS_EMAIL_LIMIT="1000",
        **settings,
    )
    from byline.provenance import keyfile

    keyfile.create(env["PROVENANCE_SIGNING_KEY_FILE"])
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput"],
        ["collectstatic", "--noinput"],
        ["load_demo"],
    ):
        subprocess.run(
            manage + command,
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    server = subprocess.Popen(
        # As `make run` serves: deploy/gunicorn.conf.py's event-loop workers
        # (byline/pagecache/asgi.py), the application loaded and warmed first.
        [gunicorn, "-c", "deploy/gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    record.update(env=env, manage=manage, mail_dir=var_dir / "mail")
    try:
        _wait_for(url + "/", server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


# The running e2e site's environment, for tests that set data up behind the browser.
SITE = {}


@pytest.fixture
def site_shell(site_url):
    """Run Python in the e2e site's Django (its own database) and return stdout."""

    def run(code):
        return subprocess.run(
            SITE["manage"] + ["shell", "--no-imports", "-c", code],
            cwd=ROOT,
            env=SITE["env"],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout

    return run


@pytest.fixture
def inbox(site_url):
    """Return a function listing the mail the e2e site has sent, oldest first."""
    import email
    import email.policy

    def messages():
        folder = SITE["mail_dir"]
        found = []
        for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime):
            raw = path.read_bytes()
            for chunk in raw.split(b"-" * 79 + b"\n"):
                if chunk.strip():
                    found.append(
                        email.message_from_bytes(chunk, policy=email.policy.default)
                    )
        return found

    return messages


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def until_shown(url, marker, seconds=20):
    """Ask for `url` until its page holds `marker`: a change made behind the
    browser reaches other readers once the page is rendered again, and until
    then (at most PAGE_CACHE_STALE_SECONDS) they may be served the copy kept
    before (pagecache/store.py), as on the served site."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        with urllib.request.urlopen(url, timeout=30) as response:
            if marker in response.read().decode():
                return
        assert time.monotonic() < deadline, f"{marker} never shown on {url}"
        time.sleep(0.2)
