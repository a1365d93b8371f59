"""`make s3`, then `AWS_STORAGE_BUCKET_NAME=… make run`: the demo served with
every picture from the bucket (issue 21's "done means").

Both make targets run as a developer runs them, in their own process groups:
moto's S3 server over HTTP on a free port, and `make run` (migrate, the storage
check, the demo, gunicorn) in a fresh var/ folder. Chromium then loads the home
page and an article: every <img> src and srcset candidate names the bucket and
answers 200, and every picture decodes in the page (the Content-Security-Policy
lets the bucket's origin in).
"""

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from e2e.conftest import _free_port, _wait_for

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "byline-e2e"
ARTICLE = "/world/putin-xi-state-visit-beijing/"
PICTURES = """() => Array.from(document.images).map(i => [i.src, i.srcset])"""
# Lazy pictures are asked for now; decode() fails for a picture that did not
# load (missing, refused by the bucket or by the page's policy).
DECODED = """() => Promise.all(Array.from(document.images).map(i => {
  i.loading = "eager";
  return i.decode().then(() => i.naturalWidth, () => 0);
}))"""


def _make(target, env, log):
    return subprocess.Popen(
        ["make", target],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for_line(path, text, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text():
            return
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}: {path.read_text()}")
        time.sleep(0.2)
    raise RuntimeError(f"{text!r} not printed within {timeout}s")


@pytest.fixture(scope="module")
def bucket_site(tmp_path_factory, chromium_path):
    """(site URL, bucket URL): `make s3` and `make run` as a developer runs them."""
    folder = tmp_path_factory.mktemp("bucket-demo")
    shell = {"PATH": os.environ["PATH"], "HOME": str(folder)}
    s3_port, site_port = _free_port(), _free_port()
    endpoint = f"http://127.0.0.1:{s3_port}"
    s3_log = folder / "s3.log"
    with open(s3_log, "w") as log:
        s3 = _make("s3", {**shell, "S3_PORT": str(s3_port), "S3_BUCKET": BUCKET}, log)
    run = None
    try:
        _wait_for_line(s3_log, "make run", s3)
        run_env = {
            **shell,
            "BYLINE_VAR_DIR": str(folder / "var"),
            "PORT": str(site_port),
            "WORKERS": "1",
            # What `make s3` printed (tools/s3_server.py).
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "byline-local",
            "AWS_SECRET_ACCESS_KEY": "byline-local-secret",
            "AWS_S3_REGION_NAME": "us-east-1",
        }
        assert f"AWS_S3_ENDPOINT_URL={endpoint}" in s3_log.read_text()
        with open(folder / "run.log", "w") as log:
            run = _make("run", run_env, log)
        _wait_for(f"http://127.0.0.1:{site_port}/", run, timeout=400)
        yield f"http://127.0.0.1:{site_port}", f"{endpoint}/{BUCKET}/"
    finally:
        if run is not None:
            _stop(run)
        _stop(s3)


def _candidates(pictures):
    links = []
    for src, srcset in pictures:
        links.append(src)
        links += [part.split()[0] for part in srcset.split(",") if part.strip()]
    return links


@pytest.mark.parametrize("path", ["/", ARTICLE], ids=["home", "article"])
def test_every_picture_of_the_demo_comes_from_the_bucket(
    browser, bucket_site, path, screenshot_dir
):
    site, bucket = bucket_site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else 0)
    page.goto(site + path)
    links = _candidates(page.evaluate(PICTURES))
    assert len(links) >= (5 if path == "/" else 4), links
    for link in links:
        assert link.startswith(bucket + "media/"), link
        with urllib.request.urlopen(link, timeout=10) as response:
            assert response.status == 200, link
            assert response.headers["Content-Type"].startswith("image/"), link
    widths = page.evaluate(DECODED)
    assert widths and all(width > 0 for width in widths), widths
    assert not refused, refused
    name = "home" if path == "/" else "article"
    page.screenshot(
        path=str(screenshot_dir / f"bucket-demo-{name}.png"), full_page=True
    )
    page.close()
