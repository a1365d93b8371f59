"""Bounded work per PostgreSQL search (pg_bounds.py): no sequential scan of the
index table, a capped count labelled as such, a bounded ranking pool that keeps
the best match, and snippets from a window around the match."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection

from byline.search import fts_postgres, pg_schema
from byline.search.engine import search_articles


@pytest.fixture
def postgres_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tsvector index only")


def _sequential_scans():
    """Sequential scans of the index table in this (test) transaction so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(seq_scan), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = %s",
            [fts_postgres.TABLE],
        )
        return cursor.fetchone()[0]


def test_search_never_reads_the_whole_index_table(postgres_index, make_article):
    """Counting, ranking and snippets come through the indexes: a sequential
    scan would decompress every article's document vector (the planner does
    not cost TOAST, and chose one for queries matching a few per cent)."""
    for n in range(3):
        make_article(f"Harbour story {n}", body="<p>The harbour reopened.</p>")
    search_articles("warmup").count()  # the archive's size, read once and kept
    before = _sequential_scans()
    results = search_articles("harbour reopened")
    assert results.count() == 3
    assert len(results[:20]) == 3
    assert _sequential_scans() == before


def test_total_past_the_count_limit_is_labelled_more_than(
    postgres_index, client, make_article, monkeypatch
):
    """Counting stops past COUNT_LIMIT; the page and the JSON say "more than"."""
    monkeypatch.setattr(fts_postgres, "COUNT_LIMIT", 3)
    for n in range(5):
        make_article(f"Lighthouse keeper {n}")
    results = search_articles("lighthouse")
    assert results.count() == 3
    assert results.total_is_lower_bound
    data = client.get("/search/", {"q": "lighthouse", "format": "json"}).json()
    assert (data["total"], data["total_is_lower_bound"]) == (3, True)
    page = BeautifulSoup(client.get("/search/", {"q": "lighthouse"}).content, "lxml")
    summary = page.select_one(".search-summary").get_text()
    assert summary.startswith("More than 3 results")


def test_total_within_the_limit_is_exact(postgres_index, client, make_article):
    """Fewer matches than the limit: the exact total, not labelled."""
    make_article("Lighthouse keeper")
    data = client.get("/search/", {"q": "lighthouse", "format": "json"}).json()
    assert (data["total"], data["total_is_lower_bound"]) == (1, False)


def test_bounded_ranking_pool_keeps_the_headline_match_first(
    postgres_index, make_article, monkeypatch
):
    """With more matches than the pool, the article whose headline holds the
    words is still ranked, and first; pages hold what they should."""
    monkeypatch.setattr(fts_postgres, "RANK_POOL", 2)
    monkeypatch.setattr(fts_postgres, "TIE_MARGIN", 0)
    for n in range(8):
        make_article(f"Market report {n}", body="<p>The glacier melted early.</p>")
    make_article("Glacier melted early", body="<p>Nothing else.</p>")
    results = search_articles("glacier melted")
    assert results.count() == 9
    first = results[0:1]
    assert [hit.article.title for hit in first] == ["Glacier melted early"]
    assert len(results[0:20]) == 9


def test_snippet_shows_a_match_deep_in_a_long_article(
    postgres_index, client, make_article
):
    """A match 20,000 characters into the body is still the highlighted one,
    found by the word as typed when its stem is not a prefix ("happi")."""
    filler = "<p>" + "Nothing of note happened on the quay today. " * 450 + "</p>"
    make_article("Long read", body=filler + "<p>The crew were happy at last.</p>")
    response = client.get("/search/", {"q": "happy"})
    snippet = BeautifulSoup(response.content, "lxml").select_one(".snippet")
    assert snippet.find("mark").get_text().lower() == "happy"
    assert "crew" in snippet.get_text()


def _wide_rows_fetched():
    """Rows of the article index table read so far in this transaction, by
    sequential, index or bitmap scans."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(seq_tup_read + idx_tup_fetch), 0) "
            "FROM pg_stat_xact_user_tables "
            "WHERE relname = %s",
            [fts_postgres.TABLE],
        )
        return cursor.fetchone()[0]


def _headline_pick(text, pool):
    from byline.search.pg_bounds import headlines

    match = fts_postgres.match_expression(text.split(), ())
    with connection.cursor() as cursor:
        return headlines(cursor, match, "", [], pool)


def test_headline_pick_reads_the_narrow_table_not_the_articles(
    postgres_index, make_article
):
    """Picking the best headlines among many that hold a query word reads the
    headlines' own table: no article row (text, document vector) is fetched.
    Before, every matching headline's wide row was read and ranked."""
    from byline.search.pg_bounds import candidates, indexes_only

    for n in range(12):
        make_article(f"Harbour notice {n}", body="<p>Tides.</p>")
    match = fts_postgres.match_expression(["harbour"], ())
    before = _wide_rows_fetched()
    with indexes_only() as cursor:
        picked = candidates(cursor, match, [], [], 4, 12)
    assert len(picked) >= 4
    # The pick of any four matches is the only one reading article rows.
    assert _wide_rows_fetched() - before == 4


def test_headline_with_two_query_words_beats_newer_ones_with_one(
    postgres_index, make_article
):
    """Two distinct query words in a headline rank it above any headline with
    one, however new; the newest one-word headlines fill the rest of the pool."""
    two = make_article("Storm closes the harbour", body="<p>Closed.</p>").pk
    one = [make_article(f"Harbour notice {n}").pk for n in range(6)]
    # "harbours" stems to the same word as "harbour": still one word.
    picked = _headline_pick("harbour harbours storm", pool=3)
    assert picked == [two, one[-1], one[-2]]


def test_headline_table_follows_the_article_index(postgres_index, make_article):
    """Indexed, re-published with a new headline, unpublished: the headlines'
    table holds exactly the article index's rows and headline vectors."""
    kept = make_article("Bridge reopens")
    gone = make_article("Ferry halted")
    kept.title = "Bridge reopens to traffic"
    kept.save_revision().publish()
    gone.unpublish()
    columns = "rowid, published, section_id, type_of_work, headline::text"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {fts_postgres.TABLE} ORDER BY rowid")
        wide = cursor.fetchall()
        cursor.execute(
            f"SELECT {columns} FROM {pg_schema.HEADLINES_TABLE} ORDER BY rowid"
        )
        assert cursor.fetchall() == wide
    assert [row[0] for row in wide] == [kept.pk]
    assert "traffic" in wide[0][4]


@pytest.mark.parametrize("few", [2, 1000])
def test_newest_one_word_headlines_whether_few_or_many_match(
    postgres_index, make_article, monkeypatch, few
):
    """Few matches are read whole and sorted by date; more than FEW_HEADLINES
    are walked newest first: the same newest headlines either way."""
    from byline.search import pg_bounds

    monkeypatch.setattr(pg_bounds, "FEW_HEADLINES", few)
    made = [make_article(f"Harbour notice {n}").pk for n in range(6)]
    make_article("Ferry timetable")  # the newest, matching nothing
    assert _headline_pick("harbour", pool=3) == made[::-1][:3]


def _document_index_scans():
    """Scans of the article index's GIN index of documents in this transaction:
    each one builds the bitmap of the documents matching a query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_numscans(%s::regclass)",
            [f"{fts_postgres.TABLE}_document"],
        )
        return cursor.fetchone()[0]


def test_count_and_first_page_find_the_matches_once(
    postgres_index, make_article, monkeypatch
):
    """More matches than the ranking pool: the count's pass over the matches
    also gives the pool its "any matches" pick. Before, the pick built the
    documents' match bitmap again (5.5 ms for a common word at a million)."""
    monkeypatch.setattr(fts_postgres, "RANK_POOL", 2)
    monkeypatch.setattr(fts_postgres, "TIE_MARGIN", 0)
    made = [
        make_article(f"Notice {n}", body="<p>The harbour reopened.</p>").pk
        for n in range(5)
    ]
    search_articles("warmup").count()  # the archive's size, read once and kept
    before = _document_index_scans()
    results = search_articles("harbour")
    assert results.count() == 5
    first = results[0:1]  # a pool of 2 ranked, out of 5
    assert len(first) == 1 and first[0].article.pk in made
    assert _document_index_scans() - before == 1
