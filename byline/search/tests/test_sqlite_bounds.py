"""Bounded work per SQLite search (sqlite_ranking.py): a capped count labelled
as such, ranking limited to the newest matches plus the articles whose headline
names every word, and common words ranked in the headlines' own table."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection

from byline.search import engine, fts_sqlite, sqlite_ranking, sqlite_schema
from byline.search.engine import search_articles


@pytest.fixture
def sqlite_index(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index only")


@pytest.fixture
def small_pool(monkeypatch):
    monkeypatch.setattr(sqlite_ranking, "RANK_POOL", 3)
    monkeypatch.setattr(sqlite_ranking, "TIE_MARGIN", 0)
    monkeypatch.setattr(sqlite_ranking, "MERGE_FACTOR", 1)


def titles(text):
    return [hit.article.title for hit in search_articles(text)[:20]]


def headline_rows():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid, title FROM {sqlite_schema.HEADLINES_TABLE}")
        return dict(cursor.fetchall())


def facts_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT page_id, published, section_id FROM {sqlite_schema.FACTS_TABLE}"
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def test_total_past_the_count_limit_is_labelled_more_than(
    sqlite_index, client, make_article, monkeypatch
):
    """Counting stops past COUNT_LIMIT; the page and the JSON say "more than"."""
    monkeypatch.setattr(sqlite_ranking, "COUNT_LIMIT", 3)
    monkeypatch.setattr(fts_sqlite, "COUNT_LIMIT", 3)
    for n in range(5):
        make_article(f"Lighthouse keeper {n}")
    results = search_articles("lighthouse")
    assert results.count() == 3
    assert results._total == 4  # counting stopped one past the limit
    assert results.total_is_lower_bound
    data = client.get("/search/", {"q": "lighthouse", "format": "json"}).json()
    assert (data["total"], data["total_is_lower_bound"]) == (3, True)
    page = BeautifulSoup(client.get("/search/", {"q": "lighthouse"}).content, "lxml")
    assert page.select_one(".search-summary").get_text().startswith("More than 3")


def test_total_within_the_limit_is_exact(sqlite_index, client, make_article):
    make_article("Lighthouse keeper")
    data = client.get("/search/", {"q": "lighthouse", "format": "json"}).json()
    assert (data["total"], data["total_is_lower_bound"]) == (1, False)


def test_past_the_pool_only_the_newest_matches_are_ranked(
    sqlite_index, make_article, small_pool
):
    """With more matches than the pool, the older articles are not ranked (the
    work stays bounded), even the one that says "tide" most; the newest three
    are, best first."""
    make_article("Old almanac", body="<p>" + "Tide. " * 30 + "</p>")
    for n in range(3):
        make_article(f"Recent note {n}", body="<p>A tide came in. " + "Calm. " * n)
    make_article("Newest tide table", body="<p>Nothing else.</p>")
    first_two = [hit.article.title for hit in search_articles("tide")[0:2]]
    assert first_two == ["Newest tide table", "Recent note 1"]


def test_past_the_pool_the_article_a_reader_names_is_still_first(
    sqlite_index, make_article, small_pool
):
    """The oldest article, whose headline holds every word searched for, is
    ranked however many newer articles mention the words."""
    make_article("Glacier melted early", body="<p>Nothing else.</p>")
    for n in range(8):
        make_article(f"Market report {n}", body="<p>The glacier melted early.</p>")
    results = search_articles("glacier melted")
    assert results.count() == 9
    assert [hit.article.title for hit in results[0:2]][0] == "Glacier melted early"
    assert len(results[0:20]) == 9


def test_common_words_are_ranked_in_the_headlines_table(
    sqlite_index, make_article, monkeypatch
):
    """A word matched in headlines only (too common) is never ranked in the
    articles' table, whose bm25() would walk every article holding it; the
    headline match still counts towards the article's score."""
    monkeypatch.setattr(engine, "COMMON_TERM_MIN_ARTICLES", 2)
    monkeypatch.setattr(engine, "COMMON_TERM_SHARE", 0.0)
    for n in range(3):
        make_article(f"Note {n}", body="<p>The harbour was quiet.</p>")
    make_article("Lighthouse relit", body="<p>Nothing else.</p>")
    make_article("Harbour lighthouse relit", body="<p>Nothing else.</p>")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        results = search_articles("harbour lighthouse")
        assert results.common_terms == ("harbour",)
        found = [hit.article.title for hit in results[:20]]
    assert found == ["Harbour lighthouse relit", "Lighthouse relit"]
    ranked = [
        params for sql, params in statements if f"bm25({sqlite_schema.TABLE}" in sql
    ]
    assert ranked
    assert not any("harbour" in str(params) for params in ranked)


def test_headlines_and_facts_tables_follow_publishing(sqlite_index, make_article):
    article = make_article("Ferry timetable changes")
    assert headline_rows()[article.pk] == "Ferry timetable changes"
    published = int(article.published_at.timestamp())
    assert facts_rows()[article.pk] == (published, article.section_id)
    article.title = "Ferry timetable changes again"
    article.save_revision().publish()
    assert headline_rows()[article.pk] == "Ferry timetable changes again"
    article.unpublish()
    assert article.pk not in headline_rows()
    assert article.pk not in facts_rows()


@pytest.mark.django_db(transaction=True)
def test_migration_fills_the_headlines_and_facts_tables_from_the_index():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 index only")
    try:
        call_command("migrate", "byline_search", "0007", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {sqlite_schema.TABLE} (rowid, title, standfirst, body, "
                "published, section_id, type_of_work) "
                "VALUES (7, 'Tide tables', '', '', 0, 1, 'news')"
            )
    finally:
        call_command("migrate", "byline_search", verbosity=0)
    assert headline_rows() == {7: "Tide tables"}
    assert facts_rows() == {7: (0, 1)}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {sqlite_schema.TABLE}")
        cursor.execute(f"DELETE FROM {sqlite_schema.HEADLINES_TABLE}")
        cursor.execute(f"DELETE FROM {sqlite_schema.FACTS_TABLE}")


def test_suggestions_are_the_newest_matching_headlines(
    sqlite_index, client, make_article
):
    """As-you-type suggestions come newest first from the headlines' table (a
    ranking walked every word the prefix starts: seconds at a million)."""
    make_article("Harbour reopens")
    make_article("Harbour repairs begin after the long winter of storms")
    data = client.get("/search/suggest/", {"q": "harbour re"}).json()
    assert [s["title"] for s in data["suggestions"]] == [
        "Harbour repairs begin after the long winter of storms",
        "Harbour reopens",
    ]


def test_ranked_ids_are_the_ids_a_search_page_shows(sqlite_index, make_article):
    """The benchmarks' view of the ranking (no articles loaded) is the page's."""
    for title in ("Tide tables", "Tide mills reopen", "Harbour news"):
        make_article(title, body="<p>The tide turned.</p>")
    results = search_articles("tide mills")
    assert results.ranked_ids(10) == [hit.article.pk for hit in results[:10]]
    assert len(results.ranked_ids(10)) == 3


def test_filters_and_newest_first_read_the_facts_table(
    sqlite_index, make_article, section
):
    """A section filter and "newest first" read each match's date and section
    from the facts table: in FTS5's rows they sit after the body, and reading
    them there walked every match's body (p95 435 ms at a million)."""
    older = make_article("Tide tables", body="<p>The tide turned.</p>")
    newer = make_article("Tide mills reopen", body="<p>The tide turned.</p>")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        newest = search_articles("tide", order="newest")[:10]
        in_section = search_articles("tide", section=section.pk)[:10]
    assert [hit.article.pk for hit in newest] == [newer.pk, older.pk]
    assert {hit.article.pk for hit in in_section} == {older.pk, newer.pk}
    ranking = [sql for sql in statements if "bm25(" in sql]
    assert ranking
    assert all(sqlite_schema.FACTS_TABLE in sql for sql in ranking)
