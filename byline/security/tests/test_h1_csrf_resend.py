"""H1: the CSRF failure page must not turn a forged post into a one-click one.

The review's attack: a page on another site auto-submits a form to our admin
(`/admin/users/new/`, is_superuser=on); the post fails the CSRF check, and the
failure page offered every field back with a fresh token and its cookie; one
click on "Send again" by a signed-in superuser created a superuser. Each test
plays the victim's click by submitting every form the answer offers, with the
cookies the answer set, as the victim's browser would.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

FORGED_SUPERUSER = {
    "username": "mallory",
    "email": "mallory@example.org",
    "first_name": "Mal",
    "last_name": "Lory",
    "password1": "Correct-horse-battery-42",
    "password2": "Correct-horse-battery-42",
    "is_superuser": "on",
}


@pytest.fixture
def victim(db):
    """A signed-in superuser's browser: session cookie, CSRF checks enforced."""
    boss = get_user_model().objects.create_superuser(
        "boss", "boss@example.org", "Boss-password-long-42"
    )
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(boss)
    return browser


@pytest.fixture
def open_article(make_article):
    return make_article("Comments welcome", published_at=timezone.now())


def forged(url, data):
    """The cross-site post: no cookies (ours are SameSite=Lax), a foreign origin."""
    return Client(enforce_csrf_checks=True).post(
        url,
        data,
        HTTP_SEC_FETCH_SITE="cross-site",
        HTTP_ORIGIN="https://attacker.example",
    )


def click_every_form(browser, answer):
    """Submit each form of `answer` that posts to the refused address (the
    page's own footer forms aside) as `browser`, with the cookies it set."""
    for name, morsel in answer.cookies.items():
        browser.cookies[name] = morsel.value
    results = []
    page = BeautifulSoup(answer.content, "html.parser")
    refused = answer.request["PATH_INFO"]
    for form in page.find_all("form", method="post"):
        if form.get("action", refused) not in ("", refused):
            continue
        data = {}
        for field in form.find_all(["input", "textarea", "select"]):
            if not field.get("name"):
                continue
            if field.name == "textarea":
                value = field.string or ""
            elif field.name == "select":
                chosen = field.find("option", selected=True) or field.find("option")
                value = chosen.get("value", "") if chosen else ""
            else:
                value = field.get("value", "")
            data.setdefault(field["name"], []).append(value)
        results.append(browser.post(refused, data, HTTP_SEC_FETCH_SITE="same-origin"))
    return results


def test_a_forged_admin_post_gets_the_plain_403_and_the_click_creates_nobody(victim):
    """The review's exact attack: no form, no token, no cookie; nobody created."""
    answer = forged("/admin/users/new/", FORGED_SUPERUSER)
    assert answer.status_code == 403
    click_every_form(victim, answer)
    assert not get_user_model().objects.filter(username="mallory").exists()
    page = BeautifulSoup(answer.content, "html.parser")
    assert not page.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert "csrftoken" not in answer.cookies


def test_a_forged_reader_form_cannot_be_sent_by_a_signed_in_click(victim, open_article):
    """A reader's form is offered back, but a click with a session is refused."""
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    answer = forged(
        f"/comments/article/{open_article.pk}/post/",
        # Anyone can fetch a valid form stamp from /forms/token/.
        {"name": "B", "email": "b@example.org", "text": "Pills!", "ts": served_token()},
    )
    assert answer.status_code == 403
    assert "Please confirm" in answer.content.decode()
    results = click_every_form(victim, answer)
    assert results and all(r.status_code == 403 for r in results)
    assert "Please confirm" not in results[0].content.decode()
    assert not Comment.objects.exists()


def test_the_offer_shows_only_the_reader_form_fields_and_every_one(open_article):
    """Fields the form does not define are dropped; nothing posted is hidden."""
    answer = forged(
        f"/comments/article/{open_article.pk}/post/",
        {
            "name": "Ana",
            "email": "ana@example.org",
            "text": "My words",
            "is_superuser": "on",
            "next": "/admin/",
            "ts": "the-attacker-s-stamp",
            "website": "spam.example",
        },
    )
    assert "{#" not in answer.content.decode()  # no template text leaks
    form = BeautifulSoup(answer.content, "html.parser").find(
        "form", action=f"/comments/article/{open_article.pk}/post/"
    )
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert set(hidden) == {"csrfmiddlewaretoken", "byline_resent", "ts"}
    assert hidden["ts"] != "the-attacker-s-stamp"  # made afresh by us
    shown = {f["name"] for f in form.find_all(["input", "textarea", "select"])}
    shown -= set(hidden)
    assert shown == {"name", "email", "text"}
    for name in shown:
        label = form.find("label", attrs={"for": form.find(attrs={"name": name})["id"]})
        assert label and label.get_text(strip=True)


def test_a_reader_without_a_session_can_still_send_their_words_again(
    open_article, monkeypatch
):
    """The page keeps its purpose: a reader's own click posts the comment."""
    from byline.comments import defences
    from byline.comments.models import Comment

    monkeypatch.setattr(defences, "MIN_SECONDS", 0)
    reader = Client(enforce_csrf_checks=True)
    answer = reader.post(
        f"/comments/article/{open_article.pk}/post/",
        {"name": "Ana", "email": "ana@example.org", "text": "Kept and sent."},
    )  # a browser that says nothing of where the post came from
    assert answer.status_code == 403
    (sent,) = click_every_form(reader, answer)
    assert sent.status_code == 302, sent.content.decode()[:500]
    assert Comment.objects.get().text == "Kept and sent."


def test_a_signed_in_post_without_its_token_gets_the_plain_403(victim, open_article):
    """A session holder is never offered a post again, even of a reader's form."""
    answer = victim.post(
        f"/comments/article/{open_article.pk}/post/",
        {"text": "Stale page."},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert answer.status_code == 403
    page = BeautifulSoup(answer.content, "html.parser")
    assert not page.find("form", action=f"/comments/article/{open_article.pk}/post/")
    assert "Please confirm" not in page.get_text()


def test_forms_that_are_not_readers_forms_are_never_offered(open_article, db):
    """Votes, reports, edits and unknown addresses get the plain 403."""
    from byline.comments.models import Comment

    comment = Comment.objects.create(
        article=open_article,
        name="A",
        email="a@example.org",
        text="x",
        status="approved",
    )
    for url in [
        f"/comments/{comment.pk}/vote/",
        f"/comments/{comment.pk}/report/",
        f"/comments/{comment.pk}/edit/",
        "/no/such/page/",
        "/django-admin/",
    ]:
        answer = forged(url, {"value": "up", "reason": "spam", "text": "Changed"})
        page = BeautifulSoup(answer.content, "html.parser")
        assert not page.find("form", action=url), url
