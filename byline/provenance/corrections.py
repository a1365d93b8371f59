"""The site-wide corrections page and its feed: every published note, newest first."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.feedgenerator import Rss201rev2Feed

from byline.provenance.models import PublishedCorrection

PAGE_SIZE = 30
FEED_SIZE = 50


def corrections_log(request):
    paginator = Paginator(PublishedCorrection.objects.all(), PAGE_SIZE)
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

    def link(self):
        return "/corrections/log/"

    def items(self):
        return PublishedCorrection.objects.all()[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.headline}"

    def item_description(self, item):
        return item.note

    def item_link(self, item):
        return f"{item.url}#corrections-heading"

    def item_guid(self, item):
        return f"{item.url}#correction-{item.seq}-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.signed_at
