"""Authors, sections and tags a search finds ("Mara Ellison", "Olympics").

Their names are kept in a small full-text table beside the article index
(fts_sqlite.TOPICS_TABLE, fts_postgres.TOPICS_TABLE), so a query finds a
person or a topic with one indexed lookup whatever the size of the archive.
Whether a reader may see one is decided when it is shown: a section must be
public, and an author or tag must have at least one public article (a tag used
only on drafts or private articles reveals nothing, as its page does not).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from byline.core.privacy import public
from byline.news.models import ArticleAuthor, ArticleTag, Author, SectionPage
from byline.news.public import public_articles
from byline.search.cache import bump as bump_search_version
from byline.search.indexing import index_backend

SHOWN = 6


@dataclass(frozen=True)
class Topic:
    kind: str  # "author", "section" or "tag"
    name: str
    url: str
    detail: str = ""  # an author's role, a section's introduction

    def as_json(self):
        return {"kind": self.kind, "name": self.name, "url": self.url}


def find_topics(terms, request=None, limit=SHOWN):
    """Return the Topics whose names hold the query's terms, best first."""
    index = index_backend()
    if index is None or not terms:
        return []
    # A few spare: some found may not be shown to readers.
    found = index.match_topics(list(terms), limit * 2)
    by_kind = {kind: [pk for k, pk in found if k == kind] for kind, _ in found}
    shown = {
        **_authors(by_kind.get("author", [])),
        **_sections(by_kind.get("section", []), request),
        **_tags(by_kind.get("tag", [])),
    }
    return [shown[key] for key in found if key in shown][:limit]


def _authors(ids):
    if not ids:
        return {}
    writes = ArticleAuthor.objects.filter(
        author=OuterRef("pk"), page__in=public_articles()
    )
    authors = Author.objects.filter(pk__in=ids).filter(Exists(writes))
    return {
        ("author", a.pk): Topic("author", a.name, a.get_absolute_url(), a.role)
        for a in authors
    }


def _sections(ids, request):
    if not ids:
        return {}
    sections = public(SectionPage.objects.live()).filter(pk__in=ids)
    return {
        ("section", s.pk): Topic("section", s.title, s.get_url(request), _("Section"))
        for s in sections
    }


def _tags(ids):
    if not ids:
        return {}
    used = ArticleTag.objects.filter(
        tag=OuterRef("pk"), content_object__in=public_articles()
    )
    tags = Tag.objects.filter(pk__in=ids).filter(Exists(used))
    return {
        ("tag", t.pk): Topic("tag", t.name, reverse("tag", args=[t.slug]), _("Topic"))
        for t in tags
    }


# Keeping the names table true --------------------------------------------------


def index_authors(authors):
    bump_search_version()  # a result shows its authors' names
    if index_backend() is not None:
        index_backend().index_topics([("author", a.pk, a.name) for a in authors])


def index_tags(tags):
    bump_search_version()
    if index_backend() is not None:
        index_backend().index_topics([("tag", t.pk, t.name) for t in tags])


def index_sections(sections):
    bump_search_version()  # a result shows its section's title
    if index_backend() is not None:
        index_backend().index_topics([("section", s.pk, s.title) for s in sections])


def remove(kind, ids):
    bump_search_version()
    if index_backend() is not None:
        index_backend().remove_topics([(kind, pk) for pk in ids])


def index_of_articles(article_ids):
    """Index the authors and tags of these articles (an import may have made
    them without the signals a model save sends)."""
    article_ids = list(article_ids)
    index_authors(
        Author.objects.filter(article_links__page_id__in=article_ids).distinct()
    )
    index_tags(
        Tag.objects.filter(
            news_articletag_items__content_object_id__in=article_ids
        ).distinct()
    )


def rebuild():
    """Index every author, live section and tag (after the tables were recreated)."""
    index_authors(Author.objects.all())
    index_sections(SectionPage.objects.live())
    index_tags(Tag.objects.all())
