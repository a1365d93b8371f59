"""The newsroom in Wagtail's admin: a "New article" action and the authors."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from byline.core.chrome import NAV_PAGE_TYPES, PAGES_OUTSIDE_CHROME
from byline.news.admin_views import (
    NewArticleView,
    add_article_url,
    sections_for_new_articles,
)
from byline.news.models import ArticlePage, Author, SectionPage


@hooks.register(NAV_PAGE_TYPES)
def sections_in_navigation():
    # The header lists the sections (core's chrome knows no news types).
    return [SectionPage]


@hooks.register(PAGES_OUTSIDE_CHROME)
def articles_outside_chrome():
    # Articles never show in the header or footer: publishing one keeps the
    # cached chrome.
    return [ArticlePage]


@hooks.register("register_admin_urls")
def new_article_urls():
    return [path("new-article/", NewArticleView.as_view(), name="new_article")]


class NewArticleMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(sections_for_new_articles(request.user))


@hooks.register("register_admin_menu_item")
def new_article_menu_item():
    # Above Pages: writing is what most people open the admin to do.
    return NewArticleMenuItem(
        "New article",
        reverse("new_article"),
        name="new-article",
        icon_name="doc-full-inverse",
        order=50,
    )


class NewArticlePanel(Component):
    """The dashboard's first panel: one click per section into the editor."""

    name = "new_article"
    template_name = "news/admin/new_article_panel.html"
    order = 10

    def __init__(self, sections):
        self.sections = sections

    def get_context_data(self, parent_context):
        return {
            "choices": [
                {"section": section, "url": add_article_url(section)}
                for section in self.sections
            ],
            "chooser_url": reverse("new_article"),
        }


@hooks.register("construct_homepage_panels")
def add_new_article_panel(request, panels):
    sections = sections_for_new_articles(request.user)
    if sections:
        panels.append(NewArticlePanel(sections))


class AuthorViewSet(SnippetViewSet):
    """Authors under their own name in the menu, not inside "Snippets"."""

    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 260
    add_to_admin_menu = True
    url_prefix = "authors"
    list_display = ["name", "role", "slug"]


register_snippet(AuthorViewSet)
