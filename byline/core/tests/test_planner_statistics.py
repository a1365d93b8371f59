"""After a bulk import's ANALYZE, SQLite still looks pages up by their mostly-NULL
indexed columns through the index (planner_statistics.py): a publish asks for
the page's aliases, and with ANALYZE's own figures that read every page."""

import json

import pytest
from django.db import connection
from wagtail.models import Page

from byline.core import planner_statistics
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
    import_jsonl(path)  # ends with planner_statistics.refresh()
    return ArticlePage.objects.order_by("pk").first()


def test_a_publishs_alias_look_up_uses_the_index_after_an_import(imported):
    # The query Wagtail's update_aliases makes on each publish.
    plan = ArticlePage.objects.filter(alias_of=imported).order_by("path").explain()
    assert "alias_of_id" in plan, plan


def test_only_mostly_null_columns_are_corrected(imported):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'wagtailcore_page'"
        )
        stats = dict(cursor.fetchall())
    total = Page.objects.count()
    assert stats["wagtailcore_page_alias_of_id_12945502"].split()[:2] == [
        str(total),
        "1",
    ]
    # A column with values in every row keeps ANALYZE's own figure: here the
    # pages per content type (articles, sections, the home page, the root).
    kinds = Page.objects.values("content_type").distinct().count()
    content_type = stats["wagtailcore_page_content_type_id_c28424df"].split()
    assert int(content_type[1]) == -(-total // kinds)


def test_statistics_are_refreshed_again_without_error(imported):
    planner_statistics.refresh()
    planner_statistics.refresh()
