"""The admin's "New article" action: choose a section, then Wagtail's editor.

An article belongs to the section it is made under, so the choice comes first,
as WordPress's "Posts → Add New" or Ghost's "New post" put the editor one click
away instead of behind Pages → site → section → Add child page.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from byline.news.models import ArticlePage, SectionPage


def sections_for_new_articles(user):
    """Return the sections (in menu order) where `user` may add an article."""
    sections = SectionPage.objects.order_by("path")
    return [
        section
        for section in sections
        if ArticlePage.can_create_at(section)
        and section.permissions_for_user(user).can_add_subpage()
    ]


def add_article_url(section):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", section.pk))


class NewArticleView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "New article"
    header_icon = "doc-full-inverse"
    template_name = "news/admin/new_article.html"

    def get(self, request, *args, **kwargs):
        self.sections = sections_for_new_articles(request.user)
        # With one place to put it there is nothing to choose.
        if len(self.sections) == 1:
            return redirect(add_article_url(self.sections[0]))
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["choices"] = [
            {"section": section, "url": add_article_url(section)}
            for section in self.sections
        ]
        return context
