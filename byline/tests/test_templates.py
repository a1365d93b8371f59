"""Which engine renders what: Jinja2 every reader page, Django the admin and mail."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.template import engines

PROJECT = Path(settings.BASE_DIR) / "byline"
# What Django templates still render: the admin (Wagtail's overrides, the
# apps' admin views, the two-factor steps in the admin's look) and mail.
DJANGO_ONLY = ("wagtailadmin/", "includes/admin_logo.html", "twofactor/")
DJANGO_PARTS = ("/admin/", "/mail/")


def _names(folders):
    """Every template name under our own folders of an engine."""
    names = set()
    for folder in map(Path, folders):
        if folder.is_relative_to(PROJECT):
            names |= {
                str(path.relative_to(folder))
                for path in folder.rglob("*")
                if path.is_file() and "__pycache__" not in path.parts
            }
    return names


def test_no_template_name_is_in_both_engines():
    """A name is found by one engine only, so no page depends on lookup order."""
    django = _names(engines["django"].template_dirs)
    jinja = _names(engines["jinja2"].template_dirs)
    assert django and jinja
    assert not django & jinja


def test_django_templates_are_only_the_admins_and_mail():
    """Every reader page and include is Jinja2; Django's are admin and mail."""
    django = _names(engines["django"].template_dirs)
    readers = [
        name
        for name in django
        if not name.startswith(DJANGO_ONLY)
        and not any(part in f"/{name}" for part in DJANGO_PARTS)
    ]
    assert readers == []


def test_no_template_tag_library_renders_jinja():
    """No bridge: a Django template tag never renders a Jinja2 template."""
    libraries = [
        path.relative_to(PROJECT)
        for path in PROJECT.rglob("templatetags/*.py")
        if re.search(r"\bengines\b|^(from|import) jinja2", path.read_text(), re.M)
    ]
    assert libraries == []


@pytest.mark.django_db
def test_each_app_registers_its_own_jinja_globals():
    """The environment collects the apps' globals; core names no feature."""
    env = engines["jinja2"].env
    for name in ("comments_for", "article_head", "related_articles"):
        assert name in env.globals
    assert "with_feedback" in env.filters
    core_jinja = PROJECT / "jinja.py"
    for app in ("comments", "provenance", "related", "newsletter"):
        assert f"byline.{app}" not in core_jinja.read_text()


def test_the_comment_forms_limits_come_from_the_form(client, make_article, monkeypatch):
    """maxlength on the article's comment form is the form field's max_length."""
    from django.utils import timezone

    from byline.comments.forms import CommentForm

    article = make_article("Comments open", published_at=timezone.now())

    fields = CommentForm.base_fields
    monkeypatch.setattr(fields["text"], "max_length", 4321)
    monkeypatch.setattr(fields["name"], "max_length", 61)
    html = client.get(article.url).content.decode()
    form = BeautifulSoup(html, "html.parser").find("form", class_="comment-form")
    assert form.find("textarea", attrs={"name": "text"})["maxlength"] == "4321"
    assert form.find("input", attrs={"name": "name"})["maxlength"] == "61"
