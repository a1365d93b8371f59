"""Prepared queries return what their queryset would, compiled once per connection."""

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from byline.core.prepared import Prepared, first
from byline.news.models import ArticlePage, Author


def by_slug():
    return Prepared(
        lambda p: (
            ArticlePage.objects.filter(
                path__startswith=p.path, depth=p.depth, slug=p.slug
            )
            .select_related("section")
            .defer("body")
        )
    )


def test_it_returns_the_models_the_queryset_returns_with_their_joins(
    make_article, section
):
    article = make_article("Summit in Beijing")
    depth = section.depth + 1
    found = first(by_slug()(path=section.path, depth=depth, slug=article.slug))
    expected = ArticlePage.objects.get(pk=article.pk)
    assert type(found) is ArticlePage
    assert (found.pk, found.title, found.published_at, found.live) == (
        expected.pk, expected.title, expected.published_at, expected.live
    )  # fmt: skip
    with CaptureQueriesContext(connection) as joined:
        assert found.section.title == section.title
    assert len(joined) == 0
    assert "body" in found.get_deferred_fields()


def test_it_compiles_once_and_binds_each_calls_values(make_article, section):
    one, two = make_article("One"), make_article("Two")
    query = by_slug()
    values = {"path": section.path, "depth": section.depth + 1}
    assert [a.pk for a in query(slug=one.slug, **values)] == [one.pk]
    compile_sql = mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    )
    with CaptureQueriesContext(connection) as ran, compile_sql as compiled:
        assert [a.pk for a in query(slug=two.slug, **values)] == [two.pk]
        assert query(slug="no-such-article", **values) == []
    assert len(ran) == 2
    assert compiled.call_count == 0


def test_a_prefix_value_is_matched_literally_not_as_a_pattern(make_article, section):
    make_article("Anything")
    query = by_slug()
    # "%" and "_" would match every path if they reached LIKE unescaped.
    for wildcard in ("%", "_", "0001%"):
        assert query(path=wildcard, depth=section.depth + 1, slug="anything") == []


def test_rows_and_flat_values(db):
    Author.objects.create(name="Ada", slug="ada")
    Author.objects.create(name="Bo", slug="bo")
    rows = Prepared(
        lambda p: Author.objects.filter(slug=p.slug).values_list("name", "slug")
    )
    flat = Prepared(
        lambda p: (
            Author.objects.filter(pk__gte=p.low)
            .order_by("slug")
            .values_list("slug", flat=True)
        )
    )
    assert rows(slug="bo") == [("Bo", "bo")]
    assert flat(low=0) == ["ada", "bo"]


def test_what_varies_recompiles(db):
    Author.objects.create(name="Ada", slug="ada")
    Author.objects.create(name="Bo", slug="bo")
    hidden = ["ada"]
    query = Prepared(
        lambda p: (
            Author.objects.exclude(slug__in=hidden)
            .filter(pk__gte=p.low)
            .values_list("slug", flat=True)
        ),
        vary=lambda: tuple(hidden),
    )
    assert query(low=0) == ["bo"]
    hidden[:] = ["bo"]
    assert query(low=0) == ["ada"]


def test_it_refuses_what_it_cannot_run_compiled(db):
    query = Prepared(
        lambda p: ArticlePage.objects.filter(pk=p.pk).prefetch_related("tags")
    )
    with pytest.raises(ValueError, match="cannot prefetch"):
        query(pk=1)


def test_slice_bounds_are_parameters(db):
    for name in "abcdefg":
        Author.objects.create(name=name, slug=name)
    window = Prepared(
        lambda p: (
            Author.objects.filter(slug__gte=p.low)
            .order_by("slug")
            .values_list("slug", flat=True)[int(p.start) : int(p.start) + int(p.size)]
        )
    )
    assert window(low="b", start=0, size=2) == ["b", "c"]
    assert window(low="b", start=3, size=3) == ["e", "f", "g"]
    assert window(low="a", start=6, size=5) == ["g"]


def test_a_new_prepared_query_never_takes_an_old_ones_compiled_sql(db):
    """Compiled SQL is kept on the connection under the query's name: a query
    made after another was freed (at the same address) gets its own."""
    import gc

    for name in "ab":
        Author.objects.create(name=name, slug=name)
    names = set()
    for _ in range(20):
        by_slug = Prepared(
            lambda p: Author.objects.filter(slug=p.slug).values_list("name", flat=True)
        )
        assert by_slug(slug="a") == ["a"]
        names.add(by_slug.attribute)
        del by_slug
        gc.collect()
        count = Prepared(
            lambda p: Author.objects.filter(slug__gte=p.low).values_list(
                "slug", flat=True
            )
        )
        assert count(low="b") == ["b"]
        names.add(count.attribute)
        del count
        gc.collect()
    assert len(names) == 40
