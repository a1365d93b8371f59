"""The site-wide corrections page and its feed: every published note, newest first.

Notes of articles that are no longer public (made private, withdrawn, deleted)
are left out, as their records are in the public log.
"""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed

from byline.core.addresses import absolute
from byline.news.public import public_articles
from byline.provenance.models import PublishedCorrection

PAGE_SIZE = 30
FEED_SIZE = 50


def public_notes():
    return PublishedCorrection.objects.filter(
        page_id__in=public_articles().values("pk")
    )


def corrections_log(request):
    paginator = Paginator(public_notes(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "provenance/corrections_log.html",
        {"notes": page, "paginator": paginator},
    )


class CorrectionsFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Corrections and updates"
    description = "Every correction, clarification and update we publish, newest first."

    # Absolute from the site: Django's framework would prefix the request's Host.
    def link(self):
        return absolute(reverse("corrections_log"))

    def feed_url(self):
        return absolute(reverse("corrections_feed"))

    def items(self):
        return public_notes()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.headline}"

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return absolute(f"{item.url}#corrections-heading")

    def item_guid(self, item):
        return absolute(f"{item.url}#correction-{item.seq}-{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.signed_at
