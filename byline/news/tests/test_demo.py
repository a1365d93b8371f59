"""`manage.py load_demo` builds a convincing newsroom, and only once.

Loading the demo draws and resizes images, so each test loads it once and
checks several things.
"""

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from byline.news.models import ArticlePage, Author, SectionPage


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_builds_a_complete_newsroom(demo, client):
    """Sections, authors, 12+ illustrated articles (one on Putin and Xi), on home."""
    assert SectionPage.objects.live().count() >= 4
    assert Author.objects.count() >= 3
    articles = list(ArticlePage.objects.live())
    assert len(articles) >= 12
    putin = ArticlePage.objects.get(title__contains="Putin")
    assert "Xi" in putin.title
    assert len(BeautifulSoup(putin.body, "html.parser").find_all("h2")) >= 2
    assert len(putin.sources) >= 2
    for article in articles:
        assert article.hero_image and article.hero_image.description, article.title
        assert article.article_authors.exists(), article.title
    home = BeautifulSoup(client.get("/").content, "html.parser")
    links = {a["href"] for a in home.find("main").find_all("a")}
    assert {a.url for a in articles} <= links
    # "You may also like" names topics a reader recognises: "Also about Russia
    # and China", never "Also about state and markets".
    from byline.related.models import RelatedLink

    call_command("related", "--rebuild", stdout=StringIO())
    reasons = list(RelatedLink.objects.values_list("reason", flat=True))
    assert len(reasons) >= 4 * len(articles)
    for reason in reasons:
        if reason.startswith("Also about "):
            named = reason.removeprefix("Also about ").split(" and ")
            assert all(name[:1].isupper() for name in named), reason


def test_demo_is_idempotent_and_prints_a_working_login(demo, client):
    """A second run creates nothing, and the printed editor login opens /admin/."""
    counts = (ArticlePage.objects.count(), Author.objects.count())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "0 new articles" in out.getvalue()
    assert counts == (ArticlePage.objects.count(), Author.objects.count())
    line = next(line for line in demo.splitlines() if "username: editor" in line)
    password = line.split("password:")[1].strip()
    response = client.post(
        "/admin/login/", {"username": "editor", "password": password}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def _printed_logins(output):
    logins = {}
    for line in output.splitlines():
        if "username:" in line:
            role, rest = line.split("username:")
            username, password = rest.split("password:")
            logins[username.strip()] = (role.strip(), password.strip())
    return logins


def test_demo_editor_is_a_plain_editor_beside_a_separate_admin(demo, client):
    """The printed editor is a member of Editors only (no superuser), so the demo
    shows what that role can do; an administrator account is printed apart."""
    from django.contrib.auth import get_user_model

    logins = _printed_logins(demo)
    assert logins["admin"][0] == "Administrator"
    assert logins["editor"][0] == "Editors"
    users = get_user_model().objects
    editor, admin = users.get(username="editor"), users.get(username="admin")
    assert not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert admin.is_superuser
    client.post(
        "/admin/login/", {"username": "editor", "password": logins["editor"][1]}
    )
    for url in ("/admin/", "/admin/new-article/", "/admin/comments/"):
        assert client.get(url).status_code == 200, url
    # What only an administrator may do stays out of the editor's reach.
    assert client.get("/admin/users/").status_code == 302


def test_demo_pages_link_the_pages_they_mention(demo, client):
    """About's "through our feedback page" (and the corrections policy's) is a
    link that opens the feedback page."""
    feedback = client.get("/feedback/")
    assert feedback.status_code == 200
    for url in ("/about/", "/corrections/"):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        link = soup.find("main").find("a", string="feedback page")
        assert link is not None, url
        assert link["href"] == "/feedback/"


def test_demo_dates_tell_one_story(demo, client):
    """Each demo article was first published in the hours before the demo was
    loaded, then signed; a correction or update came after, and its time is the
    article's "Updated"; comments came between publication and now."""
    from datetime import timedelta

    from django.utils import timezone

    from byline.comments.models import Comment
    from byline.provenance.models import ProvenanceRecord, PublishedCorrection

    now = timezone.now()
    articles = list(ArticlePage.objects.live())
    notes = 0
    for article in articles:
        records = list(ProvenanceRecord.objects.filter(page_id=article.pk))
        first = records[0]
        assert now - timedelta(days=1) < article.published_at < first.signed_at
        assert article.first_published_at == article.published_at, article.title
        assert first.payload["published_at"].startswith(
            article.published_at.strftime("%Y-%m-%dT%H:%M")
        )
        corrections = PublishedCorrection.objects.filter(page_id=article.pk)
        if corrections:
            notes += 1
            assert article.updated_at == max(c.signed_at for c in corrections)
            assert article.updated_at > article.published_at
        else:
            assert article.updated_at is None, article.title
        for comment in Comment.objects.filter(article=article):
            assert article.published_at < comment.created <= now
    assert notes >= 2  # a correction and an update
    putin = ArticlePage.objects.get(slug="putin-xi-state-visit-beijing")
    soup = BeautifulSoup(client.get(putin.url + "provenance/").content, "html.parser")
    oldest = soup.select("li.revision h2")[-1].get_text(" ", strip=True)
    assert oldest.startswith("First version, signed")


def test_demo_dates_are_relative_to_the_day_it_is_loaded():
    """The demo is dated from the moment it loads, newest event last, whatever
    the day: not pinned to the year its events happened."""
    from datetime import UTC, datetime, timedelta

    from byline.news.demo import articles as content
    from byline.news.demo.loader import demo_dates

    for now in (
        datetime(2026, 12, 5, 4, 0, tzinfo=UTC),
        datetime(2031, 1, 1, tzinfo=UTC),
    ):
        dates = demo_dates(content.ARTICLES, now)
        assert max(dates.values()) < now
        assert min(dates.values()) > now - timedelta(days=1)
        by_event = sorted(content.ARTICLES, key=lambda spec: spec["published"])
        assert [dates[s["slug"]] for s in by_event] == sorted(dates.values())
