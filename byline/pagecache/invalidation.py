"""Which cached pages a change shows on: their tags (app cache) and URLs (proxies).

An article appears on its own page; on the home page and in feeds and
sitemaps; on its section, tag and author pages and their feeds (before and
after the change, since a tag or author may have been removed); and in the
"You may also like" lists of other articles. Changes are applied once the
transaction commits, so no reader can fetch the old state back into a cache.
"""

from typing import NamedTuple

from django.db import transaction
from wagtail.models import Site

from byline.pagecache import tags as cache_tags
from byline.pagecache.purge import purge_urls

SITE_URLS = (
    "/",
    "/feed/",
    "/feed/atom/",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/news-sitemap.xml",
)


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
        cache_tags.bump(self.tags)
        purge_urls(self.urls)


def _schedule(change):
    """Apply after the current transaction commits (now, outside one).

    Tags are also bumped at once, so this transaction's own later reads (and
    a test's) see the change; the bump after commit is the one that counts,
    since a reader may render the old state until then.
    """
    if transaction.get_connection().in_atomic_block:
        cache_tags.bump(change.tags)
    transaction.on_commit(change.apply, robust=True)


def _roots():
    return [site.root_url for site in Site.objects.all()] or [""]


def everything():
    """Site-wide changes (settings, navigation, authors, privacy, imports)."""
    change = Change()
    change.tags.add(cache_tags.SITE)
    change.urls.update(root + path for root in _roots() for path in SITE_URLS)
    _schedule(change)


def page(instance, *, old_url=None):
    """A page other than an article: it, and the header and footer it may be in."""
    change = Change()
    change.tags.update({cache_tags.SITE, cache_tags.page(instance.pk)})
    change.urls.update({instance.full_url, old_url})
    change.urls.update(root + path for root in _roots() for path in SITE_URLS)
    _schedule(change)


def articles(article_ids, *, previous=(), old_urls=()):
    """Articles whose content, state or comments changed.

    `previous` holds `Shown` tuples of where they appeared before the change,
    since a publish may have moved them out of a section, tag or byline.
    """
    from byline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
    from byline.related.models import RelatedLink

    article_ids = list(article_ids)
    if not article_ids:
        return
    change = Change()
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

    change.tags.update(cache_tags.page(pk) for pk in set(article_ids) | showing)
    change.tags.add(cache_tags.home_list())
    change.tags.update(cache_tags.section_list(s.pk) for s in sections)
    change.tags.update(cache_tags.tag_list(slug) for slug in tag_slugs)
    change.tags.update(cache_tags.author_list(slug) for slug in author_slugs)

    roots = _roots()
    paths = set(SITE_URLS)
    for slug in tag_slugs:
        paths |= {f"/tags/{slug}/", f"/tags/{slug}/feed/", f"/tags/{slug}/feed/atom/"}
    for slug in author_slugs:
        paths |= {
            f"/authors/{slug}/",
            f"/authors/{slug}/feed/",
            f"/authors/{slug}/feed/atom/",
        }
    for section in sections:
        paths |= {f"/{section.slug}/feed/", f"/{section.slug}/feed/atom/"}
    change.urls.update(root + path for root in roots for path in paths)
    change.urls.update(section.full_url for section in sections)
    change.urls.update(old_urls)
    pages = ArticlePage.objects.filter(pk__in=set(article_ids) | showing)
    change.urls.update(p.full_url for p in pages.only("pk", "url_path"))
    _schedule(change)


def related_lists(article_ids):
    """Lists under these articles changed (None: every list, after a rebuild)."""
    from byline.news.models import ArticlePage

    change = Change()
    if article_ids is None:
        change.tags.add(cache_tags.RELATED)
    else:
        change.tags.update(cache_tags.page(pk) for pk in article_ids)
        pages = ArticlePage.objects.filter(pk__in=article_ids).only("pk", "url_path")
        change.urls.update(p.full_url for p in pages)
    _schedule(change)
