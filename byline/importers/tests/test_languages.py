"""Both importers keep names and slugs in any script (issue 19, item 32): a
WordPress export's percent-encoded slugs, and JSON Lines in Cyrillic, Chinese
and Arabic, become working pages, tags, sections and authors."""

import json
from pathlib import Path
from urllib.parse import quote, unquote

from taggit.models import Tag

from byline.importers.jsonl import import_jsonl
from byline.importers.wordpress import import_wordpress
from byline.news.models import ArticlePage, Author, SectionPage

WORLD = Path(__file__).parent / "data" / "world.wxr.xml"


def read(client, url):
    response = client.get(quote(unquote(url)))
    assert response.status_code == 200, url
    return response.content.decode()


def test_wordpress_percent_encoded_slugs_become_readable_unicode_slugs(db, client):
    """`%d0%bc…` in wp:post_name is "м…": the article keeps its words as its
    slug, each category is its own section, and its tag page answers."""
    report = import_wordpress(WORLD)
    assert report.created["articles"] == 3, report.problems
    article = ArticlePage.objects.get(title="В Москве открылась новая библиотека")
    assert article.slug == "в-москве-открылась-новая-библиотека"
    assert article.get_parent().slug == "общество"
    page = read(client, article.url)
    assert 'href="/tags/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/"' in page
    assert article.title in read(client, "/tags/москва/")
    assert {s.slug for s in SectionPage.objects.all()} >= {"общество", "国际", "ثقافة"}
    chinese = ArticlePage.objects.get(title="北京举办国际茶文化节")
    assert chinese.slug == "北京举办国际茶文化节"
    assert chinese.title in read(client, chinese.url)
    assert Author.objects.get(name="李明").slug == "li"


def test_a_second_wordpress_run_finds_the_unicode_articles_again(db):
    """Re-importing matches every article: nothing is duplicated."""
    import_wordpress(WORLD)
    report = import_wordpress(WORLD)
    assert report.created["articles"] == 0
    assert report.unchanged["articles"] == 3
    assert ArticlePage.objects.count() == 3


def test_jsonl_keeps_sections_authors_and_slugs_in_any_script(tmp_path, client, db):
    """Categories, authors and headlines in three scripts make three sections,
    three authors and readable article slugs, never one "news" section."""
    records = [
        ("1", "Общество", "Анна Соколова", "Новая библиотека", ["Москва"]),
        ("2", "国际", "李明", "北京茶文化节", ["北京"]),
        ("3", "ثقافة", "ليلى حسن", "معرض الكتاب", ["القاهرة"]),
    ]
    path = tmp_path / "world.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": key,
                    "title": title,
                    "body": f"{title}.",
                    "category": section,
                    "author": author,
                    "tags": tags,
                    "published": f"2024-06-0{key}T08:00:00+00:00",
                },
                ensure_ascii=False,
            )
            + "\n"
            for key, section, author, title, tags in records
        )
    )
    summary = import_jsonl(path)
    assert summary.created == 3 and summary.bad == 0
    assert {s.slug for s in SectionPage.objects.all()} == {"общество", "国际", "ثقافة"}
    assert {a.slug for a in Author.objects.all()} == {
        "анна-соколова",
        "李明",
        "ليلى-حسن",
    }
    assert set(Tag.objects.values_list("slug", flat=True)) == {
        "москва",
        "北京",
        "القاهرة",
    }
    for article in ArticlePage.objects.all():
        assert article.slug != "article"
        page = read(client, article.url)
        assert article.title in page
    assert "Новая библиотека" in read(client, "/authors/анна-соколова/")
