"""After a bulk import's ANALYZE, SQLite still finds a page's aliases through an
index (core migration 0005): Wagtail asks on each publish, and with ANALYZE's
figures for a column NULL in nearly every row it read every page instead."""

import json

import pytest
from django.db import connection
from wagtail.models import Page

from byline.importers import statistics
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's ANALYZE counts NULLs apart"
)


@pytest.fixture
def imported(db, tmp_path):
    lines = [
        {
            "id": f"n{n}",
            "title": f"Harbour story {n}",
            "body": f"Paragraph {n}.",
            "category": "harbour",
            "published": "2024-03-01T08:00:00+00:00",
        }
        for n in range(80)
    ]
    path = tmp_path / "stories.jsonl"
    path.write_text("\n".join(map(json.dumps, lines)) + "\n")
    import_jsonl(path)  # ends with ANALYZE
    return ArticlePage.objects.order_by("pk").first()


def alias_plan(page):
    # The query Wagtail's update_aliases makes on each publish.
    return ArticlePage.objects.filter(alias_of=page).order_by("path").explain()


def test_a_publishs_alias_look_up_uses_an_index_after_an_import(imported):
    assert "alias_of" in alias_plan(imported)


def test_the_look_up_uses_an_index_once_a_site_has_aliases(imported):
    # ANALYZE counts NULL as one value among the column's distinct ones: with
    # two aliased pages its figure is a third of the table, still a full read.
    first, second, third = ArticlePage.objects.order_by("pk")[:3]
    Page.objects.filter(pk=second.pk).update(alias_of=first)
    Page.objects.filter(pk=third.pk).update(alias_of=second)
    statistics.refresh()
    assert "alias_of" in alias_plan(imported)


def test_a_lock_look_up_uses_an_index_after_an_import(imported, django_user_model):
    editor = django_user_model.objects.create(username="editor")
    plan = Page.objects.filter(locked_by=editor).explain()
    assert "locked_by" in plan, plan


@pytest.mark.parametrize("column", ["alias_of", "locked_by"])
def test_null_filters_over_a_subtree_keep_the_path_index(imported, column):
    # As Wagtail's delete and unpublish views count a section's pages that are
    # not aliases: an index of the pages with a value cannot answer IS NULL.
    section = imported.get_parent()
    pages = section.get_descendants().filter(**{f"{column}__isnull": True})
    plan = pages.explain()
    assert "wagtailcore_page_1" in plan and column not in plan, plan
