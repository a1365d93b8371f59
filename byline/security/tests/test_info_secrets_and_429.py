"""Info: a placeholder secret must not run a site, and the 429 page's
"send again" must work (its token had no cookie behind it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[3]


def start(tmp_path, **env):
    """Start Django as a site would, with only these settings variables."""
    from byline.provenance import keyfile

    key = tmp_path / "signing-key.pem"
    if not key.exists():
        keyfile.create(key)
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="byline.settings",
        BYLINE_VAR_DIR=str(tmp_path),
        PROVENANCE_SIGNING_KEY_FILE=str(key),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def example_settings():
    pairs = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def test_the_example_environment_is_production_and_its_secret_is_refused(tmp_path):
    """Copying .env.example as it is gives DEBUG off and a refusal naming SECRET_KEY."""
    example = example_settings()
    assert example["DEBUG"] == "0"
    result = start(tmp_path, **example)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("debug", ["0", "1"])
def test_the_published_placeholder_is_refused_even_for_development(tmp_path, debug):
    """The example's value is public: no site runs on it, in any mode."""
    secret = example_settings()["SECRET_KEY"]
    result = start(tmp_path, DEBUG=debug, SECRET_KEY=secret)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


WEAK = [
    "secret",
    "changeme",
    "short-key-2024",
    "x" * 60,
    "django-insecure-" + "a1b" * 20,
]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_secrets_are_refused_with_debug_off(tmp_path, weak):
    """Short, repetitive or Django's development keys stop a production start."""
    result = start(tmp_path, DEBUG="0", SECRET_KEY=weak)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr.splitlines()[-1]


def test_a_real_secret_starts(tmp_path):
    """The refusal is not a blanket one: a generated secret is accepted."""
    result = start(tmp_path, DEBUG="0", SECRET_KEY="q7Zr2Lx9Vw4Mp8Nc-" * 3)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture
def open_article(make_article):
    return make_article("Comments welcome", published_at=timezone.now())


def send_offer_again(browser, answer, **headers):
    """Post the 429 page's form as the browser would, with the cookies it got."""
    for name, morsel in answer.cookies.items():
        browser.cookies[name] = morsel.value
    page = BeautifulSoup(answer.content, "html.parser")
    form = page.find("form", action=answer.request["PATH_INFO"])
    data = {}
    for field in form.find_all(["input", "textarea"]):
        value = field.string or "" if field.name == "textarea" else field.get("value")
        data[field["name"]] = value
    return browser.post(answer.request["PATH_INFO"], data, **headers)


@pytest.fixture
def patient(monkeypatch):
    """Readers who take their time (the offer's form stamp is made afresh)."""
    from byline.comments import defences

    monkeypatch.setattr(defences, "MIN_SECONDS", 0)


def test_the_429_page_offers_a_token_with_its_cookie(open_article, settings, patient):
    """A reader over the limit waits, sends again from the page, and it works,
    even from a browser that says nothing of where the post came from."""
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    settings.RATE_LIMIT_POSTS = (1, 60)
    reader = Client(enforce_csrf_checks=True)
    url = f"/comments/article/{open_article.pk}/post/"
    post = {"name": "Ana", "email": "ana@example.org", "ts": served_token()}
    first = reader.post(
        url, {**post, "text": "One."}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert first.status_code == 302
    answer = reader.post(
        url, {**post, "text": "Two, kept."}, HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert answer.status_code == 429
    settings.RATE_LIMIT_POSTS = (10, 60)  # the wait is over
    again = send_offer_again(reader, answer)
    assert again.status_code == 302, again.content.decode()[:300]
    assert Comment.objects.filter(text="Two, kept.").exists()


def test_a_signed_in_user_can_send_again_from_the_429_page(
    open_article, settings, patient
):
    """The rate limit counts after the CSRF check, so its offer is vouched for."""
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    editor = get_user_model().objects.create_user("ed", "ed@example.org", "pw")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(editor)
    page = browser.get(open_article.url)
    token = BeautifulSoup(page.content, "html.parser").find(
        "input", attrs={"name": "csrfmiddlewaretoken"}
    )["value"]
    settings.RATE_LIMIT_POSTS = (1, 60)
    url = f"/comments/article/{open_article.pk}/post/"
    data = {"csrfmiddlewaretoken": token, "ts": served_token()}
    browser.post(url, {**data, "text": "First."})
    answer = browser.post(url, {**data, "text": "Second, kept."})
    assert answer.status_code == 429
    settings.RATE_LIMIT_POSTS = (10, 60)
    again = send_offer_again(browser, answer)
    assert again.status_code == 302
    assert Comment.objects.filter(text="Second, kept.", user=editor).exists()
