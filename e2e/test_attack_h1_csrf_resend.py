"""H1 in Chromium and over raw HTTP: a forged post plus one click creates nobody.

The review's attack: a page on another origin auto-submits a form to
`/admin/users/new/` (is_superuser=on) while a superuser is signed in to the
site; the CSRF failure page offered the fields back with a fresh token, and
one click on "Send again" created a superuser. Here the attacker's page is
served by a tiny http.server on another port: as `localhost` it is another
site (the session cookie, SameSite=Lax, stays home), as `127.0.0.1` the same
site on another origin (the cookie goes along).
"""

import http.client
import http.server
import json
import re
import subprocess
import threading
import urllib.request
from functools import partial
from html import escape
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from e2e.conftest import SITE

BOSS, BOSS_PASSWORD = "h1boss", "Boss-password-long-42"
FORGED_SUPERUSER = {
    "username": "mallory",
    "email": "mallory@example.org",
    "first_name": "Mal",
    "last_name": "Lory",
    "password1": "Correct-horse-battery-42",
    "password2": "Correct-horse-battery-42",
    "is_superuser": "on",
}


def shell(code):
    """Run Python in the e2e site's Django (its own database); return stdout."""
    return subprocess.run(
        SITE["manage"] + ["shell", "--no-imports", "-c", code],
        env=SITE["env"], check=True, capture_output=True, text=True, timeout=120,
    ).stdout.strip()  # fmt: skip


@pytest.fixture(scope="module")
def superuser(site_url):
    shell(
        "from django.contrib.auth import get_user_model\n"
        "User = get_user_model()\n"
        f"User.objects.filter(username={BOSS!r}).exists() or "
        f"User.objects.create_superuser({BOSS!r}, 'b@example.org', {BOSS_PASSWORD!r})"
    )
    return BOSS


@pytest.fixture
def attacker(tmp_path):
    """Serve `tmp_path` on another port; return (folder, port)."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def attack_page(folder, action, fields):
    inputs = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">'
        for k, v in fields.items()
    )
    (folder / "attack.html").write_text(
        f'<!doctype html><form method="post" action="{escape(action)}">{inputs}'
        "</form><script>document.forms[0].submit()</script>"
    )


def users_named(name):
    return int(
        shell(
            "from django.contrib.auth import get_user_model\n"
            f"print(get_user_model().objects.filter(username={name!r}).count())"
        )
    )


def comments_saying(text):
    return int(
        shell(
            "from byline.comments.models import Comment\n"
            f"print(Comment.objects.filter(text={text!r}).count())"
        )
    )


def signed_in_page(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "/admin/login/")
    page.fill("input[name=username]", BOSS)
    page.fill("input[name=password]", BOSS_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/$"))
    return context, page


def click_send_again(page):
    """What the victim does: click every "Send again" the site offers."""
    buttons = page.get_by_role("button", name=re.compile("send again", re.I))
    clicked = buttons.count()
    if clicked:
        with page.expect_navigation():
            buttons.first.click()
    return clicked


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_forged_admin_form_and_a_click_create_no_superuser(
    browser, site_url, superuser, attacker, host, screenshot_dir
):
    """The review's exact attack, from another site and from another origin."""
    folder, port = attacker
    attack_page(folder, site_url + "/admin/users/new/", FORGED_SUPERUSER)
    context, page = signed_in_page(browser, site_url)
    try:
        page.goto(f"http://{host}:{port}/attack.html")
        page.wait_for_url(site_url + "/admin/users/new/")
        page.screenshot(path=str(screenshot_dir / f"h1-admin-forgery-{host}.png"))
        clicked = click_send_again(page)
    finally:
        context.close()
    assert users_named("mallory") == 0
    assert clicked == 0  # nothing is offered under the admin


def test_a_forged_comment_offered_back_is_refused_when_a_signed_in_user_clicks(
    browser, site_url, superuser, attacker, screenshot_dir
):
    """A reader's form is shown whole to check, but a session's click is refused."""
    folder, port = attacker
    article = shell(
        "from byline.news.models import ArticlePage\n"
        "print(ArticlePage.objects.live().filter(slug='putin-xi-state-visit-beijing')"
        ".values_list('pk', flat=True).get())"
    )
    with urllib.request.urlopen(site_url + "/forms/token/") as answer:
        stamp = json.load(answer)["ts"]  # anyone may fetch a form stamp
    text = "Forged words from elsewhere."
    attack_page(
        folder,
        f"{site_url}/comments/article/{article}/post/",
        {"name": "Boss", "email": "boss@example.org", "text": text, "ts": stamp},
    )
    context, page = signed_in_page(browser, site_url)
    try:
        page.goto(f"http://localhost:{port}/attack.html")
        page.wait_for_url(f"{site_url}/comments/article/{article}/post/")
        assert page.locator("h1").inner_text() == "Please confirm"
        assert page.locator("textarea[name=text]").input_value() == text
        page.screenshot(path=str(screenshot_dir / "h1-confirm-page.png"))
        assert click_send_again(page) == 1
        refused = page.content()
    finally:
        context.close()
    assert "Forbidden" in refused
    assert comments_saying(text) == 0


class RawBrowser:
    """Cookies and requests by hand over http.client, as curl would."""

    def __init__(self, site_url):
        parts = urlsplit(site_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}

    def request(self, method, path, fields=None, headers=None, cookies=True):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        sent = dict(headers or {})
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        set_cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            set_cookies.load(header)
        connection.close()
        return response.status, content, {k: m.value for k, m in set_cookies.items()}

    def sign_in(self):
        _, content, got = self.request("GET", "/admin/login/")
        self.cookies.update(got)
        token = BeautifulSoup(content, "html.parser").find(
            "input", attrs={"name": "csrfmiddlewaretoken"}
        )["value"]
        status, _, got = self.request(
            "POST",
            "/admin/login/",
            {"username": BOSS, "password": BOSS_PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Origin": f"http://{self.host}:{self.port}"},
        )
        assert status == 302, status
        self.cookies.update(got)


def test_over_raw_http_the_forged_admin_post_offers_nothing_to_click(
    site_url, superuser
):
    """The same attack by hand: the answer has no form, token or cookie to use."""
    victim = RawBrowser(site_url)
    victim.sign_in()
    status, content, got = victim.request(
        "POST",
        "/admin/users/new/",
        FORGED_SUPERUSER,
        headers={"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"},
        cookies=False,  # SameSite=Lax: the victim's cookies stay home
    )
    assert status == 403
    # The victim's click: every form posting back, with the cookies just set.
    victim.cookies.update(got)
    page = BeautifulSoup(content, "html.parser")
    for form in page.find_all("form", action="/admin/users/new/"):
        fields = {
            field["name"]: field.get("value", field.string or "")
            for field in form.find_all(["input", "textarea"])
            if field.get("name")
        }
        victim.request(
            "POST",
            "/admin/users/new/",
            fields,
            headers={"Origin": site_url, "Sec-Fetch-Site": "same-origin"},
        )
    assert users_named("mallory") == 0
    assert "csrftoken" not in got
    assert not page.find("input", attrs={"name": "csrfmiddlewaretoken"})
