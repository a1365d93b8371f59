"""The sitemap index from its kept part rows: the same as the grouped aggregate
over every page it replaced, after every kind of change, and without it."""

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Max
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from byline.core.privacy import public
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage
from byline.news.page_updates import update_pages
from byline.news.site_setup import ensure_section
from byline.syndication import sitemap_parts
from byline.syndication.models import SitemapPart
from byline.syndication.sitemap_parts import LASTMOD, UNDATED
from byline.syndication.sitemaps import PageSitemap


def aggregate_parts(size):
    """The index's (part, lastmod) as computed before the rows were kept: one
    grouped aggregate over every page row, and one more for the stand-in."""
    root = Site.objects.get(is_default_site=True).root_page
    pages = public(root.get_descendants(inclusive=True).live()).order_by()
    grouped = (
        pages.annotate(part=(F("pk") - 1) / size + 1)
        .values("part")
        .annotate(newest=Max(LASTMOD), undated=Count("pk", filter=UNDATED))
        .order_by("part")
    )
    newest = public(Page.objects.live()).aggregate(Max("last_published_at"))
    stand_in = newest["last_published_at__max"]
    parts = []
    for row in grouped:
        lastmod = row["newest"]
        if row["undated"]:
            lastmod = max(filter(None, (lastmod, stand_in)), default=None)
        parts.append((row["part"], lastmod))
    return parts or [(1, None)]


def kept_parts():
    return PageSitemap(RequestFactory().get("/sitemap.xml")).parts()


def assert_same(settings):
    """The index from the kept rows says what the aggregate says."""
    assert kept_parts() == aggregate_parts(settings.SITEMAP_PART_SIZE)


def write_records(path, numbers, day):
    records = [
        {
            "id": f"src-{n}",
            "title": f"Imported {n}",
            "body": f"Lead paragraph {n}.\n\nSecond paragraph.",
            "category": "world",
            "published": f"2025-01-{day:02d}T08:00:00+00:00",
            "author": "Jo Writer",
        }
        for n in numbers
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


@pytest.fixture
def newsroom(make_article, other_section):
    articles = [make_article(f"Story {n}") for n in range(5)]
    articles += [make_article(f"Money {n}", parent=other_section) for n in range(3)]
    return articles


def test_index_from_kept_rows_equals_the_aggregate_after_each_change(
    settings, newsroom, make_article, other_section, home
):
    """Publish, republish, unpublish, delete, move (a page, and a section into
    a restricted one), a password and a login restriction, a draft of an
    undated page: after each, with the rows kept from before it, the index is
    what the old aggregate computes."""
    settings.SITEMAP_PART_SIZE = 2
    assert_same(settings)
    assert SitemapPart.objects.exists()
    make_article("Fresh story", published_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert_same(settings)
    newsroom[1].save_revision().publish()  # republished: a newer date
    assert_same(settings)
    last = max(newsroom, key=lambda a: a.pk)
    newsroom[6].unpublish()
    assert_same(settings)
    newsroom[2].delete()
    assert_same(settings)
    newsroom[3].move(other_section, pos="last-child")
    assert_same(settings)
    restriction = PageViewRestriction.objects.create(
        page=other_section, restriction_type="password", password="secret"
    )
    assert_same(settings)
    login = PageViewRestriction.objects.create(
        page=last, restriction_type=PageViewRestriction.LOGIN
    )
    assert_same(settings)
    restriction.delete()
    login.delete()
    assert_same(settings)
    home.save_revision()  # made by code: its date is its latest revision's
    assert_same(settings)
    members = ensure_section(home, "Members", "For members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    assert_same(settings)
    other_section.refresh_from_db()
    other_section.move(members, pos="last-child")  # a subtree made private
    assert_same(settings)


def test_index_follows_an_import_that_writes_pages_with_sql(settings, tmp_path, home):
    """A second import adds articles with SQL to sections that exist, in parts
    already kept: the index lists them as the aggregate does."""
    settings.SITEMAP_PART_SIZE = 1000  # one part: the import's pages fall in it
    import_jsonl(write_records(tmp_path / "first.jsonl", range(3), day=1))
    assert_same(settings)
    before = kept_parts()
    import_jsonl(write_records(tmp_path / "second.jsonl", range(3, 6), day=20))
    assert_same(settings)
    assert kept_parts() != before


def test_demo_install_serves_the_aggregates_index(db, settings, tmp_path, client):
    """A fresh install with the demo, as `make run` makes it, serves the index
    the aggregate gives with no manual step, and again after the demo is loaded
    a second time over kept rows."""
    settings.VAR_DIR, settings.MEDIA_ROOT = tmp_path, tmp_path / "media"
    settings.SITEMAP_PART_SIZE = 5
    call_command("load_demo", stdout=StringIO())
    assert client.get("/sitemap.xml").status_code == 200
    assert_same(settings)
    call_command("load_demo", stdout=StringIO())
    assert_same(settings)


def test_index_survives_a_part_size_change_and_back(settings, newsroom, make_article):
    """Rows of another part size are kept exact too: changing the size and back
    after a publish gives the aggregate's index each time."""
    settings.SITEMAP_PART_SIZE = 2
    assert_same(settings)
    settings.SITEMAP_PART_SIZE = 3
    assert_same(settings)
    newsroom[0].unpublish()
    make_article("Later story", published_at=datetime(2026, 2, 1, tzinfo=UTC))
    settings.SITEMAP_PART_SIZE = 2
    assert_same(settings)


def test_missing_or_stale_rows_are_computed_again(settings, newsroom):
    """Rows deleted or marked stale (as after SQL that sent no signal) are
    computed again from the pages on the next read, and stored."""
    settings.SITEMAP_PART_SIZE = 2
    expected = aggregate_parts(2)
    assert kept_parts() == expected
    SitemapPart.objects.filter(number__gt=2).delete()
    assert kept_parts() == expected
    when = datetime(2030, 3, 1, tzinfo=UTC)
    Page.objects.filter(pk=newsroom[0].pk).update(last_published_at=when)
    assert kept_parts() != aggregate_parts(2)  # SQL that sent no signal
    sitemap_parts.mark_pages([newsroom[0].pk])
    assert kept_parts() == aggregate_parts(2)
    assert not SitemapPart.objects.exclude(version=F("built")).exists()


def test_rebuild_command_computes_every_row(settings, newsroom):
    """`manage.py rebuild_sitemap_index` forgets the rows and computes them."""
    settings.SITEMAP_PART_SIZE = 2
    kept_parts()
    Page.objects.filter(pk=newsroom[0].pk).update(
        last_published_at=datetime(2030, 4, 1, tzinfo=UTC)
    )
    assert kept_parts() != aggregate_parts(2)  # SQL that sent no signal
    call_command("rebuild_sitemap_index", stdout=None)
    assert_same(settings)


def test_a_change_during_the_computation_leaves_the_row_stale(
    settings, newsroom, monkeypatch
):
    """A page changed while a part's figures are computed marks the row again:
    the figures, which may not have seen it, are not stored as fresh."""
    settings.SITEMAP_PART_SIZE = 2
    aggregate = sitemap_parts._aggregate

    def aggregate_then_change(*args):
        rows = list(aggregate(*args))
        newsroom[0].save_revision().publish()
        return rows

    monkeypatch.setattr(sitemap_parts, "_aggregate", aggregate_then_change)
    kept_parts()
    monkeypatch.undo()
    part = (newsroom[0].pk - 1) // 2 + 1
    row = SitemapPart.objects.get(size=2, number=part)
    assert row.version != row.built
    assert_same(settings)


def test_index_reads_no_page_rows_but_the_largest_id(
    client, uncached, settings, make_article
):
    """Once its rows are kept, the index runs no aggregate over the page table
    (the grouped one read every page row): its one page query reads the
    largest id, and the query count does not grow with the archive."""
    settings.SITEMAP_PART_SIZE = 2
    for n in range(3):
        make_article(f"Story {n}")
    client.get("/sitemap.xml")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/sitemap.xml").status_code == 200
    for n in range(9):
        make_article(f"More {n}")
    client.get("/sitemap.xml")  # the publishes' parts computed again
    with CaptureQueriesContext(connection) as many:
        assert client.get("/sitemap.xml").status_code == 200
    assert len(many) == len(few)
    on_pages = [q["sql"] for q in many if '"wagtailcore_page"' in q["sql"]]
    assert len(on_pages) == 1, on_pages
    assert "GROUP BY" not in on_pages[0] and "MAX(" not in on_pages[0].upper()
    assert "LIMIT 1" in on_pages[0]


def test_undated_pages_take_the_newest_publication_from_the_rows(
    client, uncached, settings, make_article, home
):
    """A part holding an undated page (the home page) dates it by the newest
    publication without an aggregate over the page table."""
    settings.SITEMAP_PART_SIZE = 1000
    make_article("Story", published_at=datetime(2026, 5, 1, tzinfo=UTC))
    # The part holding the home page: on PostgreSQL, ids keep growing over a
    # test run, so it is not always the first.
    part = f"/sitemap-pages.xml?p={(home.pk - 1) // 1000 + 1}"
    client.get(part)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(part).content.decode()
    assert "<lastmod>" in body
    for query in queries:
        sql = query["sql"]
        if '"wagtailcore_page"' in sql:
            assert "MAX(" not in sql.upper(), sql


def test_index_follows_pages_changed_by_update_pages(settings, newsroom):
    """The demo loader backdates its articles with `update()`: through
    `update_pages()` the kept rows are marked, and the index dates the part by
    the new date, as the aggregate does."""
    settings.SITEMAP_PART_SIZE = 2
    assert_same(settings)
    article = newsroom[0]
    later = datetime(2031, 3, 4, tzinfo=UTC)
    assert (
        update_pages(ArticlePage.objects.filter(pk=article.pk), last_published_at=later)
        == 1
    )
    assert_same(settings)
    assert (((article.pk - 1) // 2 + 1), later) in kept_parts()
