"""The page sitemap in parts, each part one query of rows.

Wagtail's sitemap builds every page of a part as its specific class and asks it
for its full URL: about 0.66 ms a URL, over 30 s for a 50,000-URL part at
100,000 articles. Here part N (`/sitemap-pages.xml?p=N`, the first without
`?p=`) holds the live public pages of the site whose ids fall in the Nth range
of SITEMAP_PART_SIZE ids: one query on the primary key, whatever N is (no
OFFSET that grows with N), read as (url_path, dates) rows and linked from the
path (`core.pageurls`). What each URL says is what Wagtail's says: the page's
full URL, and its last publication (its latest revision when it has none) as
lastmod.

Pages made by code rather than published in the admin (the home page of a fresh
install, sections created by an import) have no date at all; their content is
their listing, so the newest publication on the site stands in.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from byline.core.pageurls import WAGTAIL, full_links
from byline.core.privacy import public

# Wagtail's lastmod (`Page.get_sitemap_urls`), and the pages that have none.
LASTMOD = Coalesce("last_published_at", "latest_revision_created_at")
UNDATED = Q(last_published_at=None, latest_revision_created_at=None)
ROW = ("pk", "url_path", "last_published_at", "latest_revision_created_at")


def newest_publication():
    """The date that stands in for undated pages."""
    # Public pages only: a private page's date is not for readers.
    newest = public(Page.objects.live()).aggregate(Max("last_published_at"))
    return newest["last_published_at__max"]


def part_number(page):
    """The part `?p=` names, as Django's paginator would refuse a bad one."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise PageNotAnInteger("That page number is not an integer") from None
    if number < 1:
        raise EmptyPage("That page number is less than 1")
    return number


class PageSitemap(Sitemap):
    def part_size(self):
        return settings.SITEMAP_PART_SIZE

    def pages(self):
        """The live public pages of the request's site, as Wagtail lists them."""
        root = self.get_wagtail_site().root_page
        return public(root.get_descendants(inclusive=True).live()).order_by()

    def part(self, number):
        """The rows of part `number`, in id order."""
        size = self.part_size()
        rows = self.pages().filter(pk__gt=(number - 1) * size, pk__lte=number * size)
        rows = list(rows.order_by("pk").values_list(*ROW))
        if not rows and number > 1:
            # A range with no page in it answers empty while later ones have
            # pages (the index does not list it); past the last, it is a 404.
            last = self.pages().order_by("-pk").values_list("pk", flat=True).first()
            if last is None or last <= (number - 1) * size:
                raise EmptyPage("That page contains no results")
        return rows

    def get_urls(self, page=1, site=None, protocol=None):
        link = full_links(self.request)
        newest = None
        urls = []
        for pk, url_path, published, revised in self.part(part_number(page)):
            location = link(url_path)
            if location is WAGTAIL:  # several sites hold the page: Wagtail picks
                page_object = Page.objects.get(pk=pk).specific
                location = page_object.get_full_url(self.request)
            if location is None:  # not routable: not a URL to list
                continue
            lastmod = published or revised
            if lastmod is None:
                newest = newest or newest_publication()
                lastmod = newest
            urls.append(url(location, lastmod))
        dates = [u["lastmod"] for u in urls if u["lastmod"]]
        if dates:
            self.latest_lastmod = max(dates)
        return urls

    def parts(self):
        """(number, lastmod) of every part holding a page, in one grouped
        aggregate: a part's lastmod is its newest page's, as its URLs say."""
        size = self.part_size()
        grouped = (
            self.pages()
            .annotate(part=(F("pk") - 1) / size + 1)
            .values("part")
            .annotate(newest=Max(LASTMOD), undated=Count("pk", filter=UNDATED))
            .order_by("part")
        )
        parts = []
        stand_in = None
        for row in grouped:
            lastmod = row["newest"]
            if row["undated"]:
                stand_in = stand_in or newest_publication()
                lastmod = max(filter(None, (lastmod, stand_in)), default=None)
            parts.append((row["part"], lastmod))
        return parts or [(1, None)]  # an empty site still has its (empty) sitemap

    def get_latest_lastmod(self):
        """The newest lastmod of any part (Django's default builds every page)."""
        return max((lastmod for _, lastmod in self.parts() if lastmod), default=None)


def url(location, lastmod):
    """One URL as Django's sitemap.xml template reads it."""
    return {
        "location": location,
        "lastmod": lastmod,
        "changefreq": None,
        "priority": "",
        "alternates": [],
    }
