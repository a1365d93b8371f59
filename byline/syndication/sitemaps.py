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

The index (`parts()`) and that stand-in date read the rows `sitemap_parts.py`
keeps, one per part, rather than every page row.
"""

from functools import cached_property
from html import escape

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.utils import timezone
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from byline.core.pageurls import WAGTAIL, full_links
from byline.core.privacy import public
from byline.syndication.sitemap_parts import LASTMOD, part_figures

URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)

NEWS_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
)


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

    @cached_property
    def kept_parts(self):
        """The kept `SitemapPart` of every part of this site's sitemap."""
        root_path = self.get_wagtail_site().root_page.path
        return part_figures(root_path, self.part_size())

    def newest_publication(self):
        """The date that stands in for undated pages: the newest publication of
        any live public page (a private page's date is not for readers)."""
        dates = (part.published for part in self.kept_parts if part.published)
        return max(dates, default=None)

    def part(self, number):
        """The rows of part `number`, in id order."""
        size = self.part_size()
        rows = self.pages().filter(pk__gt=(number - 1) * size, pk__lte=number * size)
        rows = rows.order_by("pk").values_list("pk", "url_path", LASTMOD)
        rows = list(rows)
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
        for pk, url_path, lastmod in self.part(part_number(page)):
            location = link(url_path)
            if location is WAGTAIL:  # several sites hold the page: Wagtail picks
                page_object = Page.objects.get(pk=pk).specific
                location = page_object.get_full_url(self.request)
            if location is None:  # not routable: not a URL to list
                continue
            if lastmod is None:
                newest = newest or self.newest_publication()
                lastmod = newest
            urls.append(url(location, lastmod))
        dates = [u["lastmod"] for u in urls if u["lastmod"]]
        if dates:
            self.latest_lastmod = max(dates)
        return urls

    def parts(self):
        """(number, lastmod) of every part holding a page: a part's lastmod is
        its newest page's, as its URLs say, read from its kept row."""
        parts = []
        stand_in = None
        for part in self.kept_parts:
            if not part.pages:
                continue
            lastmod = part.newest
            if part.undated:
                stand_in = stand_in or self.newest_publication()
                lastmod = max(filter(None, (lastmod, stand_in)), default=None)
            parts.append((part.number, lastmod))
        return parts or [(1, None)]  # an empty site still has its (empty) sitemap

    def get_latest_lastmod(self):
        """The newest lastmod of any part (Django's default builds every page)."""
        return max((lastmod for _, lastmod in self.parts() if lastmod), default=None)


def url(location, lastmod):
    """One URL, with the keys Django's sitemap.xml template reads."""
    return {
        "location": location,
        "lastmod": lastmod,
        "changefreq": None,
        "priority": "",
        "alternates": [],
    }


def urlset(urls):
    """The XML Django's sitemap.xml template renders for these URLs (location
    and lastmod only), written directly: the template costs about 0.1 ms a
    URL, a second for a part of 10,000."""
    lines = [URLSET_START]
    zone = timezone.get_current_timezone()  # dated in it, as the `date` filter
    for item in urls:
        location, lastmod = escape(item["location"]), item["lastmod"]
        if lastmod is None:
            lines.append(f"<url><loc>{location}</loc></url>")
            continue
        if timezone.is_aware(lastmod):
            lastmod = lastmod.astimezone(zone)
        day = lastmod.date().isoformat()
        lines.append(f"<url><loc>{location}</loc><lastmod>{day}</lastmod></url>")
    lines.append("</urlset>\n")
    return "\n".join(lines)


def news_urlset(articles, publication):
    """The Google News sitemap of these `NewsItem`s, written directly (its
    template took 120 ms for 1,000 articles)."""
    zone = timezone.get_current_timezone()
    name = escape(publication)
    lines = [NEWS_START]
    for article in articles:
        published = article.published_at
        if timezone.is_aware(published):
            published = published.astimezone(zone)
        lines.append(
            f"  <url>\n    <loc>{escape(article.url)}</loc>\n    <news:news>\n"
            f"      <news:publication>\n        <news:name>{name}</news:name>\n"
            "        <news:language>en</news:language>\n"
            "      </news:publication>\n"
            f"      <news:publication_date>{published.isoformat()}"
            "</news:publication_date>\n"
            f"      <news:title>{escape(article.title)}</news:title>\n"
            "    </news:news>\n  </url>\n"
        )
    lines.append("</urlset>")
    return "".join(lines)
