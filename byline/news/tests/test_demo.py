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
    assert putin.body.count("<h2>") >= 2
    assert len(putin.sources) >= 2
    for article in articles:
        assert article.hero_image and article.hero_image.description, article.title
        assert article.article_authors.exists(), article.title
    home = BeautifulSoup(client.get("/").content, "html.parser")
    links = {a["href"] for a in home.find("main").find_all("a")}
    assert {a.url for a in articles} <= links


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
