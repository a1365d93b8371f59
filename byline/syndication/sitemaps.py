"""Wagtail's page sitemap, with a lastmod on every URL.

Pages made by code rather than published in the admin (the home page of a fresh
install, sections created by an import) have no publication time; their
content is their listing, so the newest publication on the site stands in.
"""

from django.db.models import Max
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from byline.core.privacy import public


class PageSitemap(Sitemap):
    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        newest = None
        for url in urls:
            if url.get("lastmod") is None:
                if newest is None:
                    # Public pages only: a private page's date is not for readers.
                    newest = public(Page.objects.live()).aggregate(
                        Max("last_published_at")
                    )["last_published_at__max"]
                url["lastmod"] = newest
        dates = [u["lastmod"] for u in urls if u.get("lastmod")]
        if dates:
            self.latest_lastmod = max(dates)
        return urls

    def get_latest_lastmod(self):
        """The sitemap index's date, in one query. Django's default builds every
        page of the site (`.specific()`) to take the newest `lastmod`: minutes
        at a million articles, and None whenever one page had no date."""
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True)
        newest = public(pages.live()).aggregate(
            newest=Max(Coalesce("last_published_at", "latest_revision_created_at"))
        )
        return newest["newest"]
