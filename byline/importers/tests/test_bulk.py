"""The import's SQL writes the rows Django's ORM writes for the same articles."""

import json

import pytest
from django.db import connection
from wagtail.models import Page

from byline.importers.bulk import insert_articles
from byline.importers.jsonl import ArticleImporter
from byline.importers.records import parse_line
from byline.news.models import ArticlePage
from byline.news.site_setup import ensure_home_page

# Set per object (a fresh translation key) or by place in the tree.
DIFFERENT = {"id", "page_ptr_id", "path", "slug", "url_path", "translation_key"}


def built(importer, n):
    line = json.dumps(
        {
            "id": f"twin-{n}",
            "title": "Rates <5% & falling",
            "body": "Lead “quoted”.\n\nSecond paragraph.",
            "category": "Business",
            "published": "2024-03-03T08:00:00+01:00",
            "author": "Jo Writer",
        }
    )
    return importer._build(parse_line(line))


def orm_insert(article):
    """The ORM twin: the page row by Page.objects.bulk_create, the article row
    by a raw save_base (parents are not saved again)."""
    fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    [page] = Page.objects.bulk_create(
        [Page(**{f.attname: getattr(article, f.attname) for f in fields})]
    )
    article.pk = article.page_ptr_id = page.pk
    article.save_base(raw=True)


def stored(article):
    row = ArticlePage.objects.filter(pk=article.pk).values().get()
    return {k: v for k, v in row.items() if k not in DIFFERENT}


@pytest.mark.django_db
def test_bulk_rows_equal_the_rows_the_orm_writes():
    """Every page and article column reads back as the ORM's twin reads back."""
    importer = ArticleImporter()
    importer.home = ensure_home_page()
    ours = [built(importer, n) for n in range(3)]
    twin = built(importer, 3)
    insert_articles(ours)
    orm_insert(twin)
    for article in ours:
        assert stored(article) == {**stored(twin), "source_id": article.source_id}


@pytest.mark.django_db
def test_bulk_ids_belong_to_the_rows_of_their_articles(monkeypatch):
    """Each article gets the id of its own page row, over several INSERTs."""
    monkeypatch.setattr(connection.ops, "bulk_batch_size", lambda fields, objs: 3)
    importer = ArticleImporter()
    importer.home = ensure_home_page()
    articles = [built(importer, n) for n in range(7)]
    insert_articles(articles)
    rows = dict(
        Page.objects.filter(pk__in=[a.pk for a in articles]).values_list("pk", "path")
    )
    assert {a.pk: a.path for a in articles} == rows
    assert ArticlePage.objects.filter(pk__in=rows).count() == 7
