"""The newsroom's admin: a "New article" action, the headline field, the site's
own name and local avatars."""

import json
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from byline.news import newsroom
from byline.news.models import ArticlePage


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user(
        "eddie", password="pw-eddie-123", first_name="Eddie", last_name="Marsh"
    )
    user.groups.add(Group.objects.get(name=newsroom.EDITORS))
    return user


def add_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def sidebar_items(soup):
    """The admin menu's items as (label, url, attrs), from Wagtail's sidebar props."""
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    found = []

    def walk(value):
        if isinstance(value, dict):
            if "label" in value and "url" in value:
                found.append((value["label"], value["url"], value.get("attrs", {})))
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(props)
    return found


def test_new_article_is_in_the_menu_and_on_the_dashboard(
    client, editor, section, other_section
):
    """The menu has "New article", and the dashboard a button per section that
    opens the editor for an article in that section."""
    client.force_login(editor)
    soup = soup_of(client.get("/admin/"))
    assert ("New article", reverse("new_article")) in [
        (label, url) for label, url, _ in sidebar_items(soup)
    ]
    panel = soup.find(id="new-article-section")
    assert panel is not None
    links = {a.get_text(strip=True): a["href"] for a in panel.select("a.button")}
    assert links == {"World": add_url(section), "Business": add_url(other_section)}


def test_new_article_chooser_lists_sections_and_files_the_article_there(
    client, editor, section, other_section, author
):
    """Choosing a section opens Wagtail's editor there; the article made from it
    belongs to that section."""
    client.force_login(editor)
    soup = soup_of(client.get(reverse("new_article")))
    choices = {
        a.get_text(strip=True): a["href"] for a in soup.find("main").select("ul a")
    }
    assert choices["Business"] == add_url(other_section)
    assert choices["World"] == add_url(section)
    assert client.get(choices["Business"]).status_code == 200
    data = nested_form_data(
        {
            "title": "Markets steady after the vote",
            "slug": "markets-steady",
            "standfirst": "Traders shrugged.",
            "type_of_work": "news",
            "dateline": "",
            "tags": "",
            "hero_caption": "",
            "hero_credit": "",
            "body": rich_text("<p>Body text.</p>"),
            "sources": streamfield([]),
            "article_authors": inline_formset([{"author": author.pk}]),
            "comments": inline_formset([]),
            "related_choices": inline_formset([]),
            "correction_notes": inline_formset([]),
            "methods": "",
        }
    )
    response = client.post(choices["Business"], data)
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug="markets-steady")
    assert article.section == other_section


def test_new_article_offers_only_sections_the_user_may_add_to(
    client, section, other_section
):
    """A reporter allowed in one section goes straight to its editor; one allowed
    nowhere is told so, and the menu does not offer the action."""
    group = Group.objects.create(name="Business desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=other_section,
        permission=Permission.objects.get(codename="add_page"),
    )
    desk = get_user_model().objects.create_user("desk", password="pw-desk-123")
    desk.groups.add(group)
    client.force_login(desk)
    response = client.get(reverse("new_article"))
    assert response.status_code == 302
    assert response["Location"] == add_url(other_section)

    outsider = get_user_model().objects.create_user("out", password="pw-out-123")
    outsider.groups.add(group)
    group_none = Group.objects.create(name="Readers of the admin")
    group_none.permissions.add(Permission.objects.get(codename="access_admin"))
    outsider.groups.set([group_none])
    client.force_login(outsider)
    soup = soup_of(client.get(reverse("new_article")))
    assert "cannot add articles" in soup.find("main").get_text()
    labels = [label for label, _, _ in sidebar_items(soup_of(client.get("/admin/")))]
    assert "New article" not in labels


def test_headline_field_is_labelled_wraps_and_guides_its_length(
    client, editor, published_article
):
    """The editor labels the title "Headline", gives it a wrapping box and says
    how much of it search results and social cards show."""
    client.force_login(editor)
    soup = soup_of(client.get(f"/admin/pages/{published_article.pk}/edit/"))
    box = soup.find(id="id_title")
    assert box.name == "textarea"
    assert (
        soup.find("label", attrs={"for": "id_title"})
        .get_text(strip=True)
        .startswith("Headline")
    )
    assert "Page title" not in soup.get_text()
    guide = soup.find(id="id_title-length")
    length = len(published_article.title)
    assert guide.get_text().startswith(f"{length} characters")
    assert "search results" in guide.get_text()


def test_headline_typed_on_two_lines_is_saved_on_one(client, editor, section, author):
    """A line break typed or pasted into the headline box is saved as a space."""
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "A long headline that\r\nwent on to a second line",
            "slug": "two-lines",
            "standfirst": "Standfirst.",
            "type_of_work": "news",
            "dateline": "",
            "tags": "",
            "hero_caption": "",
            "hero_credit": "",
            "body": rich_text("<p>Body text.</p>"),
            "sources": streamfield([]),
            "article_authors": inline_formset([{"author": author.pk}]),
            "comments": inline_formset([]),
            "related_choices": inline_formset([]),
            "correction_notes": inline_formset([]),
            "methods": "",
        }
    )
    client.post(add_url(section), data)
    article = ArticlePage.objects.get(slug="two-lines")
    assert article.title == "A long headline that went on to a second line"


def test_admin_speaks_with_the_sites_name(client, editor, home):
    """Sign-in page and window titles name the site, not Wagtail."""
    soup = soup_of(client.get("/admin/login/"))
    assert soup.find("h1").get_text(strip=True) == "Sign in to Byline"
    assert "Wagtail" not in soup.find("title").get_text()
    client.force_login(editor)
    soup = soup_of(client.get("/admin/"))
    assert soup.find("title").get_text(strip=True).endswith("Byline admin")


def test_admin_avatars_are_local_initials(client, editor, home):
    """The signed-in user's avatar is drawn locally from their initials: no
    Gravatar (or any other outside) address anywhere in the page."""
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html.lower()
    soup = BeautifulSoup(html, "html.parser")
    avatars = [img["src"] for img in soup.select(".avatar img")]
    assert avatars
    for src in avatars:
        assert src.startswith("data:image/svg+xml,")
        assert ">EM</text>" in unquote(src)
    for img in soup.find_all("img"):
        assert not img["src"].startswith(("http:", "https:", "//")), img["src"]
