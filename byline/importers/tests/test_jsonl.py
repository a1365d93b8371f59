"""`import_articles` builds sections and articles from JSON Lines, idempotently."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import Tag
from wagtail.models import Page

from byline.importers import section_slots
from byline.importers.jsonl import import_jsonl
from byline.news.models import ArticlePage, Author, SectionPage


def write_lines(path, records):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"
    )
    return path


def record(n, **fields):
    return {
        "id": f"src-{n}",
        "title": f"Headline number {n}",
        "body": f"Lead paragraph {n}.\n\nSecond paragraph.",
        "category": "business" if n % 2 else "politics",
        "published": f"2024-03-{n:02d}T08:00:00+00:00",
        "author": "Jo Writer",
        "tags": ["Economy", f"Topic {n}"],
        **fields,
    }


@pytest.fixture
def corpus(tmp_path):
    return write_lines(tmp_path / "corpus.jsonl", [record(n) for n in range(1, 11)])


@pytest.mark.django_db
def test_import_on_fresh_database_creates_home_sections_and_articles(corpus, client):
    """A fresh site gets a home page, sections from categories and articles."""
    summary = import_jsonl(corpus)
    assert summary.created == 10 and summary.bad == 0
    assert set(SectionPage.objects.values_list("title", flat=True)) == {
        "Business",
        "Politics",
    }
    article = ArticlePage.objects.get(source_id="src-3")
    assert article.live and article.section.title == "Business"
    assert article.url_path.endswith("/business/headline-number-3/")
    assert article.published_at.isoformat() == "2024-03-03T08:00:00+00:00"
    assert [a.name for a in Author.objects.all()] == ["Jo Writer"]
    assert set(article.tags.names()) == {"Economy", "Topic 3"}
    response = client.get("/business/headline-number-3/")
    assert response.status_code == 200
    assert b"Second paragraph." in response.content


@pytest.mark.django_db
def test_imported_tree_is_consistent(corpus):
    """Wagtail's tree checks find no problem after a bulk import."""
    import_jsonl(corpus)
    business = SectionPage.objects.get(title="Business")
    assert business.get_children().count() == 5
    assert Page.find_problems() == ([], [], [], [], [])
    # An editor can still add an article by hand after the bulk import.
    added = business.add_child(
        instance=ArticlePage(title="By hand", standfirst="s", body="<p>b</p>")
    )
    assert added.get_parent().pk == business.pk


@pytest.mark.django_db
def test_reimport_is_idempotent(corpus):
    """Importing the same file twice creates nothing twice."""
    import_jsonl(corpus)
    again = import_jsonl(corpus)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 10)
    assert ArticlePage.objects.count() == 10
    assert Tag.objects.filter(name="Economy").count() == 1


@pytest.mark.django_db
def test_reimport_updates_changed_records(tmp_path, corpus):
    """A record whose text changed updates the existing article in place."""
    import_jsonl(corpus)
    changed = write_lines(
        tmp_path / "v2.jsonl", [record(3, title="Corrected headline")]
    )
    summary = import_jsonl(changed)
    assert summary.updated == 1
    assert ArticlePage.objects.get(source_id="src-3").title == "Corrected headline"
    assert ArticlePage.objects.count() == 10


@pytest.mark.django_db
def test_bad_lines_are_reported_with_line_numbers_and_skipped(tmp_path):
    """Broken lines are reported by number; the good ones around them are imported."""
    path = write_lines(
        tmp_path / "mixed.jsonl",
        [
            record(1),
            "{not json",
            {"id": "no-title", "body": "x"},
            record(2),
            record(1),  # duplicate id
            record(4, published="last Tuesday"),
            record(5),
        ],
    )
    summary = import_jsonl(path)
    assert summary.created == 3
    assert [number for number, _ in summary.errors] == [2, 3, 5, 6]
    assert "duplicate id" in summary.errors[2][1]


@pytest.mark.django_db
def test_command_reports_bad_lines_and_prints_summary(tmp_path, capsys):
    """The command writes each bad line to stderr and a summary to stdout."""
    path = write_lines(tmp_path / "c.jsonl", [record(1), "oops"])
    out = StringIO()
    call_command("import_articles", str(path), "--no-progress", stdout=out)
    assert "1 created" in out.getvalue() and "1 bad line" in out.getvalue()
    assert "line 2: invalid JSON" in capsys.readouterr().err


@pytest.mark.django_db
def test_command_refuses_missing_file(tmp_path):
    """A path that does not exist is a clear command error, not a traceback."""
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_articles", str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
def test_imported_articles_are_searchable(corpus, client):
    """Bulk-imported articles are in the search index straight away."""
    import_jsonl(corpus)
    data = client.get("/search/", {"q": "Headline number 7", "format": "json"}).json()
    assert "src-7" in [r["source_id"] for r in data["results"]]


@pytest.mark.django_db
def test_markup_in_imported_text_is_escaped(tmp_path, client):
    """A title or body carrying HTML is shown as text on the article page."""
    path = write_lines(
        tmp_path / "x.jsonl",
        [record(1, title="<img src=x onerror=alert(1)>", body="<b>bold</b> claim")],
    )
    import_jsonl(path)
    article = ArticlePage.objects.get(source_id="src-1")
    html = client.get(article.url).content.decode()
    assert "<img src=x onerror" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.django_db
def test_imports_the_shared_bbc_corpus(news_corpus, tmp_path):
    """The real corpus in shared/ imports without a bad line (first 300 records)."""
    head = tmp_path / "head.jsonl"
    with open(news_corpus, encoding="utf-8") as source:
        head.write_text(
            "".join(line for _, line in zip(range(300), source, strict=False))
        )
    summary = import_jsonl(head)
    assert summary.bad == 0 and summary.created == 300
    assert not ArticlePage.objects.filter(section__isnull=True).exists()


@pytest.mark.django_db
def test_an_import_leaves_fresh_planner_statistics(corpus):
    from django.db import connection

    def analysed():
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(
                    "SELECT name FROM sqlite_master WHERE name='sqlite_stat1'"
                )
                if not cursor.fetchone():
                    return False
                cursor.execute(
                    "SELECT 1 FROM sqlite_stat1 WHERE tbl='wagtailcore_page'"
                )
            else:
                cursor.execute(
                    "SELECT 1 FROM pg_stat_user_tables WHERE relname='wagtailcore_page'"
                    " AND (last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL)"
                )
            return cursor.fetchone() is not None

    import_jsonl(corpus)
    assert analysed()


class CountingSet(set):
    lookups = 0

    def __contains__(self, item):
        CountingSet.lookups += 1
        return super().__contains__(item)


def test_many_articles_with_one_headline_get_numbered_slugs_in_linear_time(
    db, tmp_path, monkeypatch
):
    """A section's hundredth "Letters to the editor" takes "-100" at once: the
    importer once counted up from "-2" for each, quadratic in the repeats
    (4,230 look-ups for these 60 instead of about 160)."""
    records = [
        record(
            n,
            title="Letters to the editor",
            category="politics",
            published=f"2024-03-{n % 28 + 1:02d}T{n % 24:02d}:00:00+00:00",
        )
        for n in range(1, 101)
    ]
    import_jsonl(write_lines(tmp_path / "letters.jsonl", records[:40]))
    real = section_slots.SectionSlot.__init__

    def counting_init(self, section):
        real(self, section)
        self.slugs = CountingSet(self.slugs)

    monkeypatch.setattr(section_slots.SectionSlot, "__init__", counting_init)
    CountingSet.lookups = 0
    import_jsonl(write_lines(tmp_path / "more.jsonl", records[40:]))
    slugs = set(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == {"letters-to-the-editor"} | {
        f"letters-to-the-editor-{n}" for n in range(2, 101)
    }
    assert 0 < CountingSet.lookups <= 200
