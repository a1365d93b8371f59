"""Which cached pages a change shows on: their tags (app cache) and URLs (proxies).

An article appears on its own page; on the home page and in feeds and
sitemaps; on its section, tag and author pages and their feeds (before and
after the change, since a tag or author may have been removed); and in the
"You may also like" lists of other articles. Changes are applied once the
transaction commits, so no reader can fetch the old state back into a cache,
and everything one transaction changed is applied together: a publish that
also recounts comments purges each address once, not once per step.

Addresses are built with `reverse()` from the routes' names, so a renamed
route is still purged (or fails loudly here), never silently forgotten.
"""

import weakref
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Site

from byline.core import cachetags as cache_tags
from byline.core import replicas
from byline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
from byline.pagecache import tasks
from byline.pagecache.purge import purge_urls
from byline.related.models import RelatedLink


def site_paths():
    """Addresses that list every article: home, feeds, sitemaps, the signed log."""
    return {
        "/",  # the home page is Wagtail's root page, which has no route name
        reverse("feed"),
        reverse("feed_atom"),
        reverse("sitemap"),
        reverse("sitemap_section", args=["pages"]),
        reverse("news_sitemap"),
        reverse("provenance_log"),
    }


def tag_paths(slug):
    return {reverse(name, args=[slug]) for name in ("tag", "tag_feed", "tag_feed_atom")}


def author_paths(slug):
    names = ("author", "author_feed", "author_feed_atom")
    return {reverse(name, args=[slug]) for name in names}


def section_feed_paths(slug):
    names = ("section_feed", "section_feed_atom")
    return {reverse(name, kwargs={"section": slug}) for name in names}


def provenance_url(page_url):
    """The article's signed records (proxies keep them for a minute)."""
    parts = urlsplit(page_url)
    # A page's URL comes percent-encoded (Unicode slugs); reverse() encodes again.
    article_path = unquote(parts.path).lstrip("/")
    path = reverse("article_provenance_json", kwargs={"path": article_path})
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else path


class Shown(NamedTuple):
    """Where an article appeared before a change: its section, tags and authors."""

    section_id: int | None
    tag_slugs: tuple = ()
    author_ids: tuple = ()


class Change:
    """Tags and URLs gathered during a transaction, applied after it commits."""

    def __init__(self):
        self.tags = set()
        self.urls = set()

    def apply(self):
        # Before the bump: a reader who sees the new versions then reads a
        # replica only once it has this commit (byline/core/replicas.py).
        if self.tags:
            replicas.record_primary_position()
        cache_tags.bump(self.tags)
        purge_urls(self.urls)


class _Commits:
    """One connection's commits, numbered: changes made before a commit share
    its number, and what its callbacks applied is remembered under it."""

    def __init__(self):
        self.next = 0
        self.applied = {}


# Per connection (so per thread). Every change registers its own callback, so
# none is lost to a rolled-back savepoint; the callbacks of one commit skip what
# an earlier one of them applied, so each address is purged once per commit.
_commits = weakref.WeakKeyDictionary()


def _apply_once(connection, number, change):
    commits = _commits[connection]
    if commits.next == number:
        # This commit's callbacks are running: changes made from now on (by a
        # task run at once, say) belong to the next one.
        commits.next += 1
        for older in [n for n in commits.applied if n < number - 1]:
            del commits.applied[older]
    done = commits.applied.setdefault(number, Change())
    fresh = Change()
    fresh.tags = change.tags - done.tags
    fresh.urls = change.urls - done.urls
    done.tags |= fresh.tags
    done.urls |= fresh.urls
    fresh.apply()


def _schedule(change):
    """Apply after the current transaction commits (now, outside one), merged
    with every other change of the same transaction.

    Tags are also bumped at once, so this transaction's own later reads (and
    a test's) see the change; the bump after commit is the one that counts,
    since a reader may render the old state until then.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        cache_tags.bump(change.tags)
    number = _commits.setdefault(connection, _Commits()).next
    transaction.on_commit(lambda: _apply_once(connection, number, change), robust=True)


def _roots():
    return [site.root_url for site in Site.objects.all()] or [""]


def everything():
    """Site-wide changes (settings, navigation, authors, privacy, imports)."""
    change = Change()
    change.tags.add(cache_tags.SITE)
    change.urls.update(root + path for root in _roots() for path in site_paths())
    _schedule(change)


def page(instance, *, old_url=None):
    """A page other than an article: it, and the header and footer it may be in."""
    change = Change()
    change.tags.update({cache_tags.SITE, cache_tags.page(instance.pk)})
    change.urls.update({instance.full_url, old_url})
    change.urls.update(root + path for root in _roots() for path in site_paths())
    _schedule(change)


def articles(article_ids, *, previous=(), old_urls=()):
    """Articles whose content or state changed: their pages and every listing now.

    `previous` holds `Shown` tuples of where they appeared before the change,
    since a publish may have moved them out of a section, tag or byline.
    """
    article_ids = list(article_ids)
    if not article_ids:
        return
    change = Change()
    _own_pages(change, article_ids)
    _listings(change, article_ids, previous)
    # Their signed records, which proxies keep for a minute (provenance/views.py).
    change.urls.update(provenance_url(url) for url in _urls(article_ids) if url)
    change.urls.update(old_urls)
    _schedule(change)


def comments(article_ids):
    """Comments changed on these articles: the count, a thread, a score.

    The article's own page shows the thread, so it changes at once. Listings
    (home, sections, tags, authors, feeds, "You may also like") show only a
    count, and a busy thread would empty them with every comment: they are
    refreshed once per PAGE_CACHE_LISTING_SECONDS per article, by a task the
    first comment of that window schedules (`refresh_listings`).
    """
    article_ids = list(article_ids)
    if not article_ids:
        return
    change = Change()
    _own_pages(change, article_ids)
    _schedule(change)
    if _coalescing():
        transaction.on_commit(lambda: _listings_later(article_ids), robust=True)
    else:
        listings(article_ids)  # no worker to wait for: exact, as before


def listings(article_ids):
    """Every listing that shows these articles (the coalesced refresh's work)."""
    change = Change()
    _listings(change, list(article_ids), ())
    _schedule(change)


LATER_PREFIX = "byline:pc:later:"


def _coalescing():
    backend = tasks.refresh_listings.get_backend()
    return bool(settings.PAGE_CACHE_LISTING_SECONDS and backend.supports_defer)


def _listings_later(article_ids):
    lag = settings.PAGE_CACHE_LISTING_SECONDS
    # The first change of a window schedules the refresh; later ones ride on
    # it. The mark outlives the wait a little, in case the worker is late; the
    # task clears it before it starts, so a change after that schedules anew.
    due = [pk for pk in article_ids if cache.add(f"{LATER_PREFIX}{pk}", 1, lag + 60)]
    if due:
        run_after = timezone.now() + timedelta(seconds=lag)
        tasks.refresh_listings.using(run_after=run_after).enqueue(due)


def refresh_due_listings(article_ids):
    """Run by the task: clear the marks first, so no change goes unrefreshed."""
    cache.delete_many([f"{LATER_PREFIX}{pk}" for pk in article_ids])
    listings(article_ids)


def _urls(article_ids):
    pages = ArticlePage.objects.filter(pk__in=article_ids).only("pk", "url_path")
    return [p.full_url for p in pages]


def _own_pages(change, article_ids):
    change.tags.update(cache_tags.page(pk) for pk in article_ids)
    change.urls.update(_urls(article_ids))


def _listings(change, article_ids, previous):
    """Add every page that lists the articles (or did before `previous`)."""
    shown = list(
        ArticlePage.objects.filter(pk__in=article_ids).only(
            "pk", "url_path", "section_id"
        )
    )
    section_ids = {a.section_id for a in shown if a.section_id} | {
        p.section_id for p in previous if p.section_id
    }
    tag_slugs = set(
        ArticlePage.tags.through.objects.filter(
            content_object_id__in=article_ids
        ).values_list("tag__slug", flat=True)
    )
    author_ids = set(
        ArticleAuthor.objects.filter(page_id__in=article_ids).values_list(
            "author_id", flat=True
        )
    )
    for before in previous:
        tag_slugs.update(before.tag_slugs)
        author_ids.update(before.author_ids)
    author_slugs = set(
        Author.objects.filter(pk__in=author_ids).values_list("slug", flat=True)
    )
    sections = list(SectionPage.objects.filter(pk__in=section_ids))
    showing = set(
        RelatedLink.objects.filter(related_id__in=article_ids).values_list(
            "article_id", flat=True
        )
    )

    change.tags.update(cache_tags.page(pk) for pk in showing)
    change.tags.add(cache_tags.home_list())
    change.tags.update(cache_tags.section_list(s.pk) for s in sections)
    change.tags.update(cache_tags.tag_list(slug) for slug in tag_slugs)
    change.tags.update(cache_tags.author_list(slug) for slug in author_slugs)

    roots = _roots()
    paths = site_paths()
    for slug in tag_slugs:
        paths |= tag_paths(slug)
    for slug in author_slugs:
        paths |= author_paths(slug)
    for section in sections:
        paths |= section_feed_paths(section.slug)
    change.urls.update(root + path for root in roots for path in paths)
    change.urls.update(section.full_url for section in sections)
    change.urls.update(_urls(showing))


def restriction(page_id):
    """A view restriction on a page was added, changed or removed.

    For anonymous readers the page and every page below it now show something
    else (the page, or a sign-in or password form), and so does every listing,
    feed and related list that showed an article among them. All of them leave
    the app cache and every proxy now: a page made private must not stay public
    for a proxy's s-maxage and stale periods (security review, M5).
    """
    everything()
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    articles(
        ArticlePage.objects.descendant_of(page, inclusive=True).values_list(
            "pk", flat=True
        )
    )
    change = Change()
    below = Page.objects.descendant_of(page, inclusive=True).not_type(ArticlePage)
    change.tags.update(cache_tags.page(pk) for pk in below.values_list("pk", flat=True))
    change.urls.update(p.full_url for p in below.only("pk", "url_path"))
    sections = SectionPage.objects.descendant_of(page, inclusive=True)
    for slug in sections.values_list("slug", flat=True):
        change.urls.update(
            root + path for root in _roots() for path in section_feed_paths(slug)
        )
    _schedule(change)


def related_lists(article_ids):
    """Lists under these articles changed (None: every list, after a rebuild)."""
    change = Change()
    if article_ids is None:
        change.tags.add(cache_tags.RELATED)
    else:
        change.tags.update(cache_tags.page(pk) for pk in article_ids)
        pages = ArticlePage.objects.filter(pk__in=article_ids).only("pk", "url_path")
        change.urls.update(p.full_url for p in pages)
    _schedule(change)
