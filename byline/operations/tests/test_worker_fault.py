"""A task worker killed in the middle of sending notifications, then started
again, delivers every mail exactly once: real worker processes, a real SMTP
server, a real SIGKILL."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from byline.operations.tests.test_backup import machines, manage  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[3]
READERS = 30
HOLD_AT = 12  # the message the server holds while the worker is killed

SETUP = f"""
from django.utils import timezone
from byline.comments.models import Comment, Subscription
from byline.news.models import ArticlePage
from byline.news.site_setup import ensure_home_page, ensure_section
home = ensure_home_page()
section = ensure_section(home, "World", "")
article = ArticlePage(
    title="Busy story",
    standfirst="Many readers.",
    body="<p>Text.</p>",
    published_at=timezone.now(),
)
section.add_child(instance=article)
article.save_revision().publish()
for i in range({READERS}):
    Subscription.objects.create(
        email=f"reader{{i}}@example.org",
        article=article,
        kind=Subscription.Kind.ARTICLE,
        confirmed=timezone.now(),
    )
comment = Comment.objects.create(
    article=article,
    depth=1,
    name="Ben",
    email="ben@example.org",
    text="News for every subscriber.",
    status=Comment.Status.APPROVED,
)
from byline.comments import posting
posting.announce_new(comment)  # as posting.submit does: subscribers are told
"""


class HoldingInbox:
    """Accepts mail, except that it holds one message until told, and then
    refuses it if the sender has gone: a message counts only once the server
    has said 250 to a sender who heard it, as with any mail server."""

    def __init__(self):
        self.received = []
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            arriving = len(self.received) + 1
        if arriving == HOLD_AT and not self.release.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.01)
            transport = getattr(server, "transport", None)
            if transport is None or transport.is_closing():
                return "421 Sender gone"
        with self.lock:
            self.received.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp():
    controller_module = pytest.importorskip("aiosmtpd.controller")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = HoldingInbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release.set()
        controller.stop()


def worker(env, *args):
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_killed_worker_restarted_delivers_every_mail_exactly_once(
    machines,  # noqa: F811
    smtp,
):
    from byline.provenance import keyfile

    inbox, port = smtp
    env = machines("worker")
    env.update(
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        SITE_URL="http://127.0.0.1:8000",
    )
    keyfile.create(env["PROVENANCE_SIGNING_KEY_FILE"])
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "--no-imports", "-c", SETUP)
    assert inbox.received == []  # queued, not sent by the request

    first = worker(env)
    try:
        assert inbox.holding.wait(120), "the worker never reached the held message"
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    # The dead worker's connection is closed; the server now refuses the message.
    time.sleep(0.2)
    inbox.release.set()
    assert len(inbox.received) == HOLD_AT - 1

    second = worker(env, "--batch")
    out, _ = second.communicate(timeout=300)
    assert second.returncode == 0, out
    assert "Put back 1 task(s) left by a dead worker." in out

    expected = [f"reader{i}@example.org" for i in range(READERS)]
    assert sorted(inbox.received) == sorted(expected)  # each exactly once
