"""The parts bench/cluster.py starts: Redis, the S3 server, Byline nodes, the
task worker, and the counting of what each node mailed."""

import email
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
from _setup import ROOT, free_port, wait_until_serving

# What cluster.py runs in `manage.py shell` on one node or another.
SETUP_SCRIPT = """
from django.contrib.auth import get_user_model
from byline.comments import notifications
from byline.comments.models import Subscription
from byline.news.models import ArticlePage
User = get_user_model()
if not User.objects.filter(username="cluster-editor").exists():
    User.objects.create_superuser("cluster-editor", "ed@example.org", {password!r})
article = next(a for a in ArticlePage.objects.live() if a.url.endswith({article!r}))
kind = Subscription.Kind.ARTICLE
subscription, _ = notifications.subscribe({watcher!r}, article, kind)
notifications.confirm(subscription)
"""
PUBLISH_SCRIPT = """
import time
from django.db import transaction
from byline.news.models import ArticlePage
article = next(a for a in ArticlePage.objects.live() if a.url.endswith({path!r}))
article.title = {title!r}
with transaction.atomic():
    # First of the on-commit callbacks: the moment the commit returned.
    transaction.on_commit(lambda: print("committed", time.time()))
    article.save_revision().publish()
"""
RENDITION_SCRIPT = """
from wagtail.images import get_image_model
image = get_image_model().objects.get(title={title!r})
print(image.file.storage.__class__.__name__, image.file.url)
print(image.get_rendition("fill-320x200").url)
"""
SENT_SCRIPT = """
import time
from django_tasks_db.models import DBTaskResult
from byline.comments.models import Delivery
# The worker sends what the storm queued: wait (at most 10 minutes) for it.
deadline = time.monotonic() + 600
while time.monotonic() < deadline:
    waiting = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    if not waiting:
        break
    time.sleep(1)
mailed = Delivery.objects.filter(subscription__email={watcher!r}, sent__isnull=False)
print(waiting, mailed.count())
"""


S3_KEYS = {
    "AWS_ACCESS_KEY_ID": "bench-key",
    "AWS_SECRET_ACCESS_KEY": "bench-secret",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_DEFAULT_ACL": "public-read",
}


def start_redis(folder):
    """A Redis server of the cluster's own, on a free port."""
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (or pass --redis URL)")
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process, f"redis://127.0.0.1:{port}/0"


def start_s3(bucket):
    """moto's standalone S3 server (as the root conftest starts it, but in a
    process of its own), with a bucket; return (process, endpoint)."""
    import boto3

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_port(port)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        region_name=S3_KEYS["AWS_S3_REGION_NAME"],
    )
    client.create_bucket(Bucket=bucket)
    return process, endpoint


def wait_for_port(port, seconds=30):
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


class Node:
    """One Byline node: gunicorn as `make run` serves it, its own var/ and
    mail outbox. Its processes form a session, so a SIGKILL takes them all,
    as a machine that dies would."""

    def __init__(self, name, env, var_dir):
        self.name = name
        self.var_dir = Path(var_dir)
        self.mail_dir = self.var_dir / "mail"
        self.port = free_port()
        self.env = {
            **env,
            "BYLINE_VAR_DIR": str(self.var_dir),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
        }
        self.processes = []

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        command = subprocess.run(
            ["make", "-s", "--no-print-directory", "print-serve", f"PORT={self.port}"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        self.processes = [
            subprocess.Popen(
                shlex.split(line),
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=open(self.var_dir / "gunicorn.log", "a"),
                start_new_session=True,
            )
            for line in command.splitlines()
            if line.strip()
        ]
        wait_until_serving(self.port, self.processes, seconds=120)

    def kill(self):
        """SIGKILL every process of the node at once: no graceful anything."""
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def readyz(self):
        try:
            with urllib.request.urlopen(self.base + "/readyz", timeout=10) as response:
                return response.read().decode()
        except urllib.error.HTTPError as error:
            return error.read().decode()


def start_worker(env, var_dir):
    """The task worker (`manage.py run_worker`), mailing into its own outbox."""
    env = {
        **env,
        "BYLINE_VAR_DIR": str(var_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(Path(var_dir) / "mail"),
    }
    log = open(Path(var_dir) / "worker.log", "a")
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


SEPARATOR = "\n" + "-" * 79 + "\n"


def outbox_messages(folders):
    """Every message the file backends wrote in these folders."""
    messages = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.log")):
            for chunk in path.read_text(errors="replace").split(SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk.lstrip("\n")))
    return messages


def text_of(message):
    parts = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True) or b""
            parts.append(payload.decode(errors="replace"))
    return "\n".join(parts)


def watch_for_text(urls, text, seconds=20, trail=None):
    """Start one poller per URL, each noting the time it first shows `text`;
    return a function that waits for them and returns {url: that time}.
    With `trail` (a dict), each URL's answers are noted there as (time,
    X-Page-Cache, X-Proxy-Cache), to see where a delay came from."""
    found = {}

    def poll(url):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = response.read().decode()
                    if trail is not None:
                        trail.setdefault(url, []).append(
                            (
                                time.time(),
                                response.headers.get("X-Page-Cache"),
                                response.headers.get("X-Proxy-Cache"),
                            )
                        )
                    if text in body:
                        found[url] = time.time()
                        return
            except OSError:
                pass
            time.sleep(0.01)

    pollers = [threading.Thread(target=poll, args=(url,)) for url in urls]
    for poller in pollers:
        poller.start()

    def join():
        for poller in pollers:
            poller.join()
        return found

    return join


def commit_time(output):
    return float(re.search(r"committed (\S+)", output).group(1))


def sample_lag(replica, database, stop, samples):
    while not stop.is_set():
        try:
            samples.append(replica.lag(database)[0])
        except psycopg.Error:
            pass
        stop.wait(0.5)
