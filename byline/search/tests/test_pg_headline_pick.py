"""The headline pick of PostgreSQL search (pg_bounds.headlines) against the
pick it replaced: every headline matching the query, ranked by ts_rank."""

import pytest
from django.db import connection

from byline.search import fts_postgres
from byline.search.pg_bounds import headlines
from byline.search.pg_schema import HEADLINES_TABLE


@pytest.fixture
def postgres_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's tsvector index only")


def _pick(terms, phrases=(), pool=3, headline_terms=(), where=(), params=()):
    match = fts_postgres.match_expression(terms, phrases, headline_terms)
    filters = "".join(f" AND {sql}" for sql in where)
    with connection.cursor() as cursor:
        return headlines(cursor, match, filters, list(params), pool)


def _rank_everything(terms, phrases=(), pool=3, headline_terms=(), where=(), params=()):
    """The pick before the narrow table: every matching headline ranked."""
    match = fts_postgres.match_expression(terms, phrases, headline_terms)
    filters = "".join(f" AND {sql}" for sql in where)
    query_sql, query_params = match.all_terms()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid FROM {fts_postgres.TABLE} WHERE headline @@ ({query_sql})"
            f"{filters} ORDER BY ts_rank(headline, ({query_sql})) DESC, "
            "published DESC LIMIT %s",
            [*query_params, *params, *query_params, pool],
        )
        return [row[0] for row in cursor.fetchall()]


def test_headline_holding_a_phrase_is_picked_before_newer_one_word_headlines(
    postgres_index, make_article
):
    """A quoted phrase is one query term of two lexemes, and ts_rank counts
    lexemes: "Bridge collapse feared" ranks with the two-word headlines, above
    every headline holding "flood" alone. Counting terms put it among the
    one-word headlines, where the newest of them pushed it out of the pool."""
    phrase = make_article("Bridge collapse feared").pk
    for n in range(6):
        make_article(f"Flood notice {n}")
    picked = _pick(["flood"], ["bridge collapse"])
    assert picked[0] == phrase
    assert picked == _rank_everything(["flood"], ["bridge collapse"])


def test_headline_holding_two_ideographs_of_one_term_is_picked_first(
    postgres_index, make_article
):
    """A run of ideographs is searched as a phrase of its characters: a
    headline holding "北京" holds two lexemes of one term."""
    beijing = make_article("北 京 举 办").pk
    for n in range(6):
        make_article(f"Olympics notice {n}")
    picked = _pick(["北 京", "olympics"])
    assert picked[0] == beijing


def test_headline_pick_matches_ranking_every_headline(postgres_index, make_article):
    """On headlines that repeat no query word, the pick is the old one exactly:
    same rows, same order, for single words, stems, accents, stop words,
    phrases, a phrase's words out of order, and headline-only terms."""
    titles = [
        "Storm closes the harbour",
        "Harbour notice",
        "Harbours reopen after the storm",
        "Bridge collapse feared",
        "Collapse of the old bridge",
        "Bridge collapse and storm",
        "Café owners fear storm",
        "Cafe reopens",
        "The harbour café",
        "Flood notice",
        "Storm notice",
        "Bridge notice",
    ]
    for title in titles:
        make_article(title)
    queries = [
        (["storm", "harbour"], ()),
        (["storm", "harbours", "harbour"], ()),
        (["cafe", "storm", "harbour"], ()),
        (["the", "storm", "notice"], ()),
        (["flood"], ("bridge collapse",)),
        (["storm", "notice"], ("bridge collapse",)),
        (["café", "notice", "bridge"], ()),
    ]
    for terms, phrases in queries:
        for pool in (2, 4, 8):
            assert _pick(terms, phrases, pool) == _rank_everything(
                terms, phrases, pool
            ), (terms, phrases, pool)
    headline_only = _pick(["storm"], (), 4, headline_terms=["notice"])
    assert headline_only == _rank_everything(["storm"], (), 4, ["notice"])


def test_headline_pick_applies_the_filters_in_both_steps(
    postgres_index, make_article, section, other_section, author
):
    """Section, type of work, dates and author filter the narrow table with
    their parameters after the query's own, in the ranked step and the rest."""
    from byline.news.models import Author

    other = Author.objects.create(name="Bo Writer", slug="bo-writer")
    make_article("Storm closes the harbour", parent=other_section)
    wanted = make_article("Storm and harbour news", authors=[other]).pk
    make_article("Storm over the harbour")
    make_article("Harbour notice", parent=other_section)
    alone = make_article("Harbour notice again", authors=[other]).pk
    make_article("Storm notice")
    where = [
        "section_id = %s",
        "published >= %s",
        "rowid IN (SELECT page_id FROM news_articleauthor WHERE author_id = %s)",
    ]
    params = [section.pk, 0, other.pk]
    picked = _pick(["storm", "harbour"], (), 4, where=where, params=params)
    assert picked == [wanted, alone]
    assert picked == _rank_everything(["storm", "harbour"], (), 4, (), where, params)


def _both_tables():
    columns = "rowid, published, section_id, type_of_work, headline::text"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {fts_postgres.TABLE} ORDER BY rowid")
        wide = cursor.fetchall()
        cursor.execute(f"SELECT {columns} FROM {HEADLINES_TABLE} ORDER BY rowid")
        return wide, cursor.fetchall()


def test_migration_0009_fills_the_headlines_of_an_existing_index_and_goes_back(
    transactional_db, postgres_index
):
    """An archive indexed before 0009 gets every headline copied; migrating
    back drops the table, and forward again fills it once more. (Rows are
    indexed directly: a flushed transactional database has no page tree, and
    the index tables, not Django's, are emptied here.)"""
    from django.core.management import call_command

    rows = [
        (900001, "Storm closes the harbour", "", "Body.", 1_700_000_000, 7, "news"),
        (900002, "Café owners fear storm", "", "Body.", 1_700_000_100, None, ""),
    ]
    fts_postgres.index_rows(rows)
    try:
        call_command("migrate", "byline_search", "0008", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [HEADLINES_TABLE])
            assert cursor.fetchone()[0] is None
        call_command("migrate", "byline_search", "0009", verbosity=0)
        wide, narrow = _both_tables()
        assert [row[0] for row in wide] == [900001, 900002]
        assert narrow == wide
    finally:
        call_command("migrate", "byline_search", verbosity=0)
        fts_postgres.remove([row[0] for row in rows])


def test_headlines_are_stemmed_again_with_the_sites_language(
    postgres_index, make_article
):
    """A new stemmer re-derives the article index's vectors; the headlines'
    table is refilled from them, and the pick finds with the new stems."""
    from byline.search import pg_schema

    both = make_article("Библиотека и музей").pk
    make_article("Музей открыт")
    make_article("Музей закрыт")
    try:
        assert pg_schema.use_language("ru")
        wide, narrow = _both_tables()
        assert narrow == wide
        assert _pick(["библиотеку", "музея"], pool=1) == [both]
    finally:
        pg_schema.use_language("en")
    wide, narrow = _both_tables()
    assert narrow == wide


def test_search_finds_the_phrase_headline_when_one_word_headlines_fill_the_pool(
    postgres_index, make_article, monkeypatch
):
    """End to end, with a ranking pool of two: the article whose headline holds
    the quoted phrase is the best match (two headline lexemes against one) and
    must be among the candidates, though newer headlines hold "flood"."""
    from byline.search.engine import search_articles

    monkeypatch.setattr(fts_postgres, "RANK_POOL", 2)
    monkeypatch.setattr(fts_postgres, "TIE_MARGIN", 0)
    for n in range(3):
        make_article(f"Flood notice {n}", body="<p>Water.</p>")
    best = make_article("Bridge collapse feared", body="<p>Engineers.</p>").pk
    for n in range(6):
        make_article(f"Flood warning {n}", body="<p>Water.</p>")
    assert search_articles('"bridge collapse" flood').ranked_ids(limit=1) == [best]
