"""'Did you mean' within two edits for longer words (issue 19, item 12)."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from byline.search.engine import search_articles
from byline.search.indexing import index_backend


@pytest.fixture
def fts_search(db):
    if index_backend() is None:
        pytest.skip("corrections need our own index")
    return index_backend()


def test_deletions_reach_two_letters_deep():
    """A word's variants are itself and every string with one or two letters gone."""
    from byline.search.shared import deletions

    assert deletions("abc") == {"abc", "ab", "ac", "bc", "a", "b", "c"}
    assert deletions("olympic") & deletions("olimpics")  # they meet


def test_short_words_and_numbers_get_no_variants():
    """Words under four letters, or digits, are never corrected two edits away."""
    from byline.search.shared import spelling_variants

    words = {row[1] for row in spelling_variants(["cat", "2024", "tariff"])}
    assert words == {"tariff"}


def test_fewer_edits_win_then_the_more_used_word():
    """One edit beats two; among equals the word more articles use wins."""
    from byline.search.shared import best_within_two_edits

    assert best_within_two_edits("olimpics", {"olympic": 9, "olympics": 1}) == (
        "olympics"
    )
    assert best_within_two_edits("olimpic", {"olympic": 1, "olimpia": 5}) == "olimpia"
    assert best_within_two_edits("olimpik", {"olympic": 3, "limp": 50}) == "olympic"


def test_olimpics_is_corrected_to_olympic(fts_search, make_article):
    """The issue's example: two edits away ('i'→'y', one 's' too many)."""
    make_article(
        "Paris opens its Games on the river",
        standfirst="The first Olympic opening ceremony held outside a stadium.",
    )
    results = search_articles("Olimpics")
    assert results.corrections == {"olimpics": "olympic"}
    assert results.corrected_query == "Olympic"
    assert [hit.article.title for hit in results[:5]] == [
        "Paris opens its Games on the river"
    ]


def test_two_transpositions_are_two_edits(fts_search, make_article):
    """'Biejnig' is 'Beijing' with two pairs of letters swapped."""
    make_article("Talks resume in Beijing")
    assert search_articles("Biejnig").corrections == {"biejnig": "beijing"}


def test_a_short_word_is_corrected_one_edit_away_only(fts_search, make_article):
    """'Tarf' is two edits from 'tariff' but too short to guess that far."""
    make_article("Tariff row deepens")
    assert search_articles("tarf").corrections == {}
    assert search_articles("tarif").corrections == {"tarif": "tariff"}


def test_a_word_that_left_the_archive_is_not_offered(fts_search, make_article):
    """Variants outlive their word; every lookup checks the vocabulary."""
    article = make_article("Quarantine rules eased")
    assert search_articles("quarrantin").corrections == {"quarrantin": "quarantine"}
    article.unpublish()
    assert search_articles("quarrantin").corrections == {}


def test_a_two_edit_correction_is_a_few_indexed_queries(
    fts_search, make_article, django_assert_max_num_queries
):
    """No pass over the vocabulary: one-edit lookup, variants, vocabulary counts."""
    make_article("Olympic flame arrives")
    with django_assert_max_num_queries(3):
        assert fts_search.closest_word("olimpics") == "olympic"


def test_upgrading_fills_the_variants_from_the_existing_vocabulary(
    fts_search, make_article
):
    """Migration 0005 gives an archive indexed before it its variants and topics."""
    make_article("Olympic flame arrives")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {fts_search.SPELLING_TABLE}")
        cursor.execute(f"DELETE FROM {fts_search.TOPICS_TABLE}")
    assert fts_search.closest_word("olimpics") is None
    migration = import_module("byline.search.migrations.0005_spelling_and_topics")
    migration.create(apps, SimpleNamespace(connection=connection))
    assert fts_search.closest_word("olimpics") == "olympic"
    assert fts_search.match_topics(["reporter"], 5) != []
