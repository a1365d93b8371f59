"""What keeps people out: headers, login lockout, rate limits, the real client."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory

from byline.core.clientip import client_ip

ROOT = Path(__file__).resolve().parents[3]


def test_public_pages_carry_a_strict_content_security_policy(client, published_article):
    for url in ["/", published_article.url, "/search/?q=putin"]:
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_public_pages_have_no_inline_script_or_style(client, published_article):
    for url in ["/", published_article.url, published_article.get_parent().url]:
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        for script in soup.find_all("script"):
            # JSON-LD and the scripts' text (chrome/script_text.html) are
            # data, which CSP does not run.
            data = ("application/ld+json", "application/json")
            assert script.get("src") or script.get("type") in data
        assert not soup.find_all(style=True), url
        assert not soup.find_all("style"), url


def test_security_headers_on_every_page(client, published_article):
    response = client.get(published_article.url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_https_sites_send_hsts_and_secure_cookies(client, settings, published_article):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.CSRF_COOKIE_SECURE = True
    assert client.get(published_article.url).status_code == 301
    response = client.get("/forms/token/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = response.cookies["csrftoken"]
    assert cookie["secure"]


def _deploy_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-" + "x7Kq9" * 10,
        ALLOWED_HOSTS="news.example.org",
        DJANGO_SETTINGS_MODULE="byline.settings",
        PROVENANCE_SIGNING_KEY_FILE=os.environ["PROVENANCE_SIGNING_KEY_FILE"],
        **extra,
    )
    return env


def test_check_deploy_passes_with_no_warnings_over_https():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_deploy_env(HTTPS="1"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_session_cookie_is_http_only(settings):
    assert settings.SESSION_COOKIE_HTTPONLY


@pytest.fixture
def editor(django_user_model, home):
    return django_user_model.objects.create_user(
        "editor", "editor@example.org", "right-password", is_superuser=True
    )


def test_admin_login_locks_out_after_repeated_failures_and_logs_it(
    client, editor, settings, caplog
):
    settings.AXES_FAILURE_LIMIT = 3
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(3):
            client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        locked = client.post(
            "/admin/login/", {"username": "editor", "password": "right-password"}
        )
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert client.get("/admin/").status_code == 302  # still not signed in
    assert any("lock" in r.getMessage().lower() for r in caplog.records)
    # Another address is not locked out with it.
    other = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_search_over_the_limit_gets_429_with_a_clear_message(client, settings, home):
    settings.RATE_LIMIT_SEARCH = (3, 60)
    for _ in range(3):
        assert client.get("/search/?q=oil").status_code == 200
    response = client.get("/search/?q=oil")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many requests" in response.content.decode()
    # Another reader is not held back by the first.
    assert client.get("/search/?q=oil", REMOTE_ADDR="10.1.1.1").status_code == 200


def test_suggestions_over_the_limit_get_json(client, settings, home):
    settings.RATE_LIMIT_SUGGEST = (1, 60)
    client.get("/search/suggest/?q=pu")
    response = client.get("/search/suggest/?q=put")
    assert response.status_code == 429
    assert response.json()["error"] == "rate_limited"
    assert response.json()["retry_after"] >= 1


def test_a_post_over_the_limit_is_shown_again_with_what_was_typed(
    client, settings, home
):
    settings.RATE_LIMIT_POSTS = (1, 60)
    client.post("/newsletter/", {"email": "a@example.org"})
    response = client.post(
        "/comments/article/1/post/", {"name": "Ana", "text": "My <careful> words"}
    )
    assert response.status_code == 429
    html = response.content.decode()
    assert "My &lt;careful&gt; words" in html
    assert "Send again" in html


def test_client_address_is_read_through_trusted_proxies_only(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    factory = RequestFactory()
    behind = factory.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(behind) == "203.0.113.7"  # the left entry is the client's word
    direct = factory.get(
        "/", REMOTE_ADDR="198.51.100.2", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert client_ip(direct) == "198.51.100.2"


def test_documents_are_downloads_never_pages(client, home, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    settings.MEDIA_ROOT = str(tmp_path)
    document = Document(title="Sheet")
    document.file.save("sheet.csv", ContentFile(b"<script>alert(1)</script>,1\n"))
    document.save()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "text/html" not in response["Content-Type"]
    assert "html" not in settings.WAGTAILDOCS_EXTENSIONS
    assert "svg" not in getattr(settings, "WAGTAILIMAGES_EXTENSIONS", ["png"])
