"""Values an import's worker prepared ahead (core/values_ahead.py) are used
only while the field still holds the value they were prepared from."""

import datetime
import json
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.models import Page

from byline.core import values_ahead
from byline.importers import prepare
from byline.importers.records import parse_line
from byline.news.models import ArticlePage
from byline.related.models import TextModel

# An import's worker keeps values on SQLite only (importers/bulk.py): on
# PostgreSQL a JSON value is prepared as a psycopg adapter, which compares
# by identity, so rows prepared twice never compare equal.
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="values are kept ahead on SQLite only"
)
FIELDS = [f for f in Page._meta.concrete_fields if not f.primary_key]
FIELDS += ArticlePage._meta.local_concrete_fields


def article():
    line = {
        "id": "wire-1",
        "title": "Harbour board answers the tariff question",
        "body": "Lead paragraph.\n\nSecond: Zürich and 北京.",
        "category": "Business",
        "published": "2024-03-01T08:00:00+00:00",
    }
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    built = prepare.prepare(parse_line(json.dumps(line)), content_type).article
    built.__dict__.pop(values_ahead.KNOWN, None)  # kept on SQLite only
    return built


def fresh(obj):
    """The row prepared here, with nothing kept."""
    kept = obj.__dict__.pop(values_ahead.KNOWN, None)
    try:
        return values_ahead.row(FIELDS, obj, connection)
    finally:
        if kept is not None:
            obj.__dict__[values_ahead.KNOWN] = kept


@pytest.mark.django_db
def test_kept_values_are_the_ones_the_row_would_be_prepared_with():
    built = article()
    values_ahead.remember(built, FIELDS, connection)
    kept = built.__dict__[values_ahead.KNOWN]
    assert {"title", "body", "standfirst", "published_at"} <= set(kept)
    assert values_ahead.row(FIELDS, built, connection) == fresh(built)


@pytest.mark.django_db
def test_a_value_changed_after_it_was_kept_is_prepared_again():
    """New values (the headline, the date, the tree position) are prepared
    here: the row is the one prepared from the article as it now is."""
    built = article()
    values_ahead.remember(built, FIELDS, connection)
    before = values_ahead.row(FIELDS, built, connection)
    built.title = "A corrected headline"
    built.published_at += datetime.timedelta(hours=1)
    built.slug, built.path, built.depth = "corrected", "000100010001", 3
    after = values_ahead.row(FIELDS, built, connection)
    assert after == fresh(built)
    assert after != before
    assert after[FIELDS.index(ArticlePage._meta.get_field("title"))] == (
        "A corrected headline"
    )


@pytest.mark.django_db
def test_times_of_saving_and_values_that_change_in_place_are_never_kept():
    """auto_now(_add) fields are the time of saving, not of the worker; a
    StreamValue can change in place while it is still the same object."""
    model = TextModel(built_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    fields = [TextModel._meta.get_field("built_at")]
    values_ahead.remember(model, fields, connection)
    assert model.__dict__[values_ahead.KNOWN] == {}
    built = article()
    values_ahead.remember(built, FIELDS, connection)
    assert "sources" not in built.__dict__[values_ahead.KNOWN]


@pytest.mark.django_db
def test_an_equal_value_that_is_another_object_is_prepared_again():
    """Equal is not enough: two datetimes differing only in `fold` compare
    equal and are an hour apart (the hour repeated when London's clocks go
    back). Only the very object a value was kept for uses it."""
    london = zoneinfo.ZoneInfo("Europe/London")
    built = article()
    built.published_at = datetime.datetime(2024, 10, 27, 1, 30, tzinfo=london)
    values_ahead.remember(built, FIELDS, connection)
    built.published_at = built.published_at.replace(fold=1)
    column = FIELDS.index(ArticlePage._meta.get_field("published_at"))
    assert values_ahead.row(FIELDS, built, connection)[column] == fresh(built)[column]
    assert fresh(built)[column] != built.__dict__[values_ahead.KNOWN]["published_at"][1]
