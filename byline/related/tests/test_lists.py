"""Stored related lists: built from live public articles, refreshed as they change,
shown in one query, exported in DESIGN.md's format."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.template.defaultfilters import date
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localtime
from wagtail.models import PageViewRestriction

from byline.related import corpus, lists, refreshing
from byline.related.models import EditorChoice, RelatedLink
from byline.related.showing import related_cards, related_links

OIL = "<p>Moscow Kremlin sanctions oil exports Urals crude tanker fleet {}</p>"
SPORT = "<p>Striker goal league match stadium coach penalty referee {}</p>"


@pytest.fixture
def desk(make_article, other_section):
    """Three oil-sanctions stories and two sport stories, all published."""
    return {
        "oil1": make_article("Oil sanctions bite", body=OIL.format("refinery diesel")),
        "oil2": make_article("Kremlin shrugs", body=OIL.format("rouble budget")),
        "oil3": make_article("Tankers multiply", body=OIL.format("shipping flags")),
        "cup": make_article(
            "Cup final", body=SPORT.format("trophy fans"), parent=other_section
        ),
        "coach": make_article(
            "Coach out", body=SPORT.format("chairman board"), parent=other_section
        ),
    }


def shown(article):
    return [link.related_id for link in related_links(article)]


def test_rebuild_lists_related_stories_first(desk):
    lists.rebuild()
    assert set(shown(desk["oil1"])[:2]) == {desk["oil2"].pk, desk["oil3"].pk}
    assert shown(desk["cup"])[0] == desk["coach"].pk


def test_unpublished_and_private_articles_never_appear(desk, make_article):
    draft = make_article("Oil draft", body=OIL.format("refinery rouble"), publish=False)
    PageViewRestriction.objects.create(
        page=desk["oil3"], restriction_type=PageViewRestriction.LOGIN
    )
    lists.rebuild()
    for article in desk.values():
        assert draft.pk not in shown(article)
        assert desk["oil3"].pk not in shown(article)


def test_publishing_refreshes_lists_and_unpublishing_removes_it(
    desk, make_article, django_capture_on_commit_callbacks
):
    lists.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        new = make_article("More oil sanctions", body=OIL.format("refinery rouble"))
    assert new.pk in shown(desk["oil1"])
    assert set(shown(new)[:3]) == {desk["oil1"].pk, desk["oil2"].pk, desk["oil3"].pk}

    with django_capture_on_commit_callbacks(execute=True):
        new.unpublish()
    for article in desk.values():
        assert new.pk not in shown(article)


def test_deleting_an_article_takes_it_out_of_every_list(
    desk, django_capture_on_commit_callbacks
):
    lists.rebuild()
    assert desk["oil2"].pk in shown(desk["oil1"])
    with django_capture_on_commit_callbacks(execute=True):
        desk["oil2"].delete()
    # Four articles are left: every other one is shown, the deleted one is not.
    assert sorted(shown(desk["oil1"])) == sorted(
        a.pk for name, a in desk.items() if name not in ("oil1", "oil2")
    )


def test_editors_pin_first_and_block(desk, django_capture_on_commit_callbacks):
    article = desk["oil1"]
    article.related_choices = [
        EditorChoice(target=desk["coach"], kind=EditorChoice.Kind.PIN, sort_order=0),
        EditorChoice(target=desk["oil2"], kind=EditorChoice.Kind.BLOCK, sort_order=1),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    links = related_links(article)
    assert links[0].related_id == desk["coach"].pk
    assert links[0].reason == "Chosen by our editors"
    assert desk["oil2"].pk not in [link.related_id for link in links]


def test_refresh_at_archive_scale_uses_stored_vectors(desk, make_article, settings):
    # Force the incremental path that a large archive takes.
    settings.RELATED_FULL_REBUILD_BELOW = 0
    lists.rebuild()
    new = make_article("Oil sanctions widen", body=OIL.format("refinery insurers"))
    refreshing.refresh(new.pk)
    assert new.pk in shown(desk["oil1"])
    assert shown(new)[0] == desk["oil1"].pk


def test_showing_the_block_costs_one_query(desk):
    lists.rebuild()
    with CaptureQueriesContext(connection) as ctx:
        links = related_links(desk["oil1"])
        shown_fields = [
            (link.related.url_path, link.related.section.title, link.thumbnail)
            for link in links
        ]
    assert len(shown_fields) == 4
    assert len(ctx.captured_queries) == 1


def test_cards_read_as_rows_show_what_the_page_objects_would(desk, rf):
    from byline.core.internals import remember_site
    from byline.core.sites import site_for

    lists.rebuild()
    request = rf.get("/")
    remember_site(request, site_for("testserver", 80))
    links = related_links(desk["oil1"])
    with CaptureQueriesContext(connection) as ctx:
        cards = related_cards(desk["oil1"], request)
    assert len(ctx.captured_queries) == 1
    assert [
        (
            card.url,
            card.title,
            card.section_title,
            card.reason,
            card.published_at,
            card.datetime_attr,
            card.date_text,
        )
        for card in cards
    ] == [
        (
            link.related.get_url(request=request),
            link.related.title,
            link.related.section.title,
            link.reason,
            link.related.published_at,
            date(localtime(link.related.published_at), "c"),
            date(localtime(link.related.published_at), "j F Y"),
        )
        for link in links
    ]


def test_article_page_shows_the_block_with_reasons(client, desk):
    lists.rebuild()
    page = BeautifulSoup(client.get(desk["oil1"].url).content, "html.parser")
    block = page.select_one("section#related")
    assert block.h2.get_text(strip=True) == "You may also like"
    headlines = [h.get_text(strip=True) for h in block.select(".card-headline")]
    assert "Kremlin shrugs" in headlines
    reasons = [r.contents[-1].strip() for r in block.select(".related-reason")]
    assert RelatedLink.objects.filter(article=desk["oil1"]).first().reason in reasons


def test_export_writes_one_line_per_article(desk, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    lists.rebuild()
    path = tmp_path / "related.jsonl"
    out = StringIO()
    call_command("related", "--export", str(path), stdout=out)
    assert f"Wrote 5 lists to {path}." in out.getvalue()
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    first = next(line for line in lines if line["id"] == desk["oil1"].pk)
    assert first["related"][:1] in ([desk["oil2"].pk], [desk["oil3"].pk])


def test_a_new_site_with_one_article_renders_without_error(client, make_article):
    only = make_article("Alone on the site")
    lists.rebuild()
    assert related_links(only) == []
    assert client.get(only.url).status_code == 200


def test_an_import_builds_lists_once_it_finishes(
    home, tmp_path, django_capture_on_commit_callbacks
):
    from byline.importers.jsonl import import_jsonl

    lines = [
        {"id": "oil-1", "title": "Oil sanctions bite", "body": OIL.format("diesel")},
        {"id": "oil-2", "title": "Kremlin shrugs", "body": OIL.format("rouble")},
        {"id": "cup-1", "title": "Cup final", "body": SPORT.format("trophy")},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    with django_capture_on_commit_callbacks(execute=True):
        import_jsonl(path)
    from byline.news.models import ArticlePage

    oil1 = ArticlePage.objects.get(source_id="oil-1")
    oil2 = ArticlePage.objects.get(source_id="oil-2")
    assert shown(oil1)[0] == oil2.pk


def test_a_second_refresh_gives_the_same_lists_as_the_first(
    desk, make_article, settings
):
    settings.RELATED_FULL_REBUILD_BELOW = 0
    lists.rebuild()
    new = make_article("Oil sanctions widen", body=OIL.format("refinery insurers"))
    refreshing.refresh(new.pk)
    first = {a.pk: shown(a) for a in [*desk.values(), new]}

    refreshing.forget_model()  # as a fresh worker would start
    refreshing.refresh(new.pk)
    assert {a.pk: shown(a) for a in [*desk.values(), new]} == first

    new.unpublish()
    refreshing.refresh(new.pk)  # now removing it
    assert all(new.pk not in shown(a) for a in desk.values())


def test_densities_are_stored_by_rebuild_and_measured_for_a_new_article(
    desk, make_article, settings
):
    from byline.related.models import ArticleVector

    settings.RELATED_FULL_REBUILD_BELOW = 0
    lists.rebuild()
    stored = dict(ArticleVector.objects.values_list("article_id", "density"))
    assert all(stored[a.pk] > 0 for a in desk.values())
    # Oil stories have two close neighbours, sport stories one.
    assert stored[desk["oil1"].pk] > stored[desk["cup"].pk]

    new = make_article("Oil sanctions widen", body=OIL.format("refinery insurers"))
    refreshing.forget_model()  # as a fresh worker would start
    refreshing.refresh(new.pk)
    after = dict(ArticleVector.objects.values_list("article_id", "density"))
    assert after[new.pk] > 0
    # The oil story whose list it joined was measured again, now closer to more.
    assert after[desk["oil1"].pk] > stored[desk["oil1"].pk]


def test_a_worker_loads_the_model_at_start_and_its_first_refresh_reuses_it(
    desk, make_article, settings, monkeypatch
):
    from byline.related.models import TextModel

    settings.RELATED_FULL_REBUILD_BELOW = 0
    lists.rebuild()
    refreshing.forget_model()  # a freshly started worker
    assert refreshing.warm() == len(desk)

    def load_again(self):
        raise AssertionError("the first refresh read the vocabulary again")

    monkeypatch.setattr(TextModel, "load_vocabulary", load_again)
    new = make_article("Oil sanctions widen", body=OIL.format("refinery insurers"))
    refreshing.refresh(new.pk)
    assert new.pk in shown(desk["oil1"])


def test_warming_a_small_site_holds_nothing(desk):
    # Below RELATED_FULL_REBUILD_BELOW a refresh relearns everything anyway.
    assert refreshing.warm() == 0


def test_rebuild_command_shows_progress_through_both_passes(desk, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr(lists, "CHUNK", 2)  # several steps in each pass
    out, err = StringIO(), StringIO()
    call_command("related", "--rebuild", stdout=out, stderr=err)
    assert f"Related lists rebuilt for {len(desk)} articles" in out.getvalue()
    progress = err.getvalue()
    assert "similarities" in progress
    assert progress.count("lists:   0%") == 1  # one second pass, not a restart per step
    assert f"lists: 100%|##########| {len(desk)}/{len(desk)}" in progress


def full_computation_lists(count):
    """Every list as the engine chooses it from the exact product of every
    article with every other, from the vectors a rebuild stored."""
    from byline.related.engine import density_of, strongest
    from byline.related.models import TextModel

    whole = corpus.corpus_from_vectors(*TextModel.objects.get().load_vocabulary())
    similarities = whole.similarities(list(range(len(whole))))
    for row in range(len(whole)):
        whole.density[row] = density_of(row, strongest(similarities[row]))
    return {
        int(whole.ids[row]): [
            p.article_id for p in whole.choose(row, similarities[row], count=count)
        ]
        for row in range(len(whole))
    }


def test_a_rebuild_in_blocks_smaller_than_the_archive_gives_the_full_lists(
    desk, make_article, monkeypatch
):
    """Bodies, neighbours and lists a block of two at a time: the lists are
    those of the exact all-pairs computation."""
    from byline.related import neighbours

    for n, words in enumerate(["refinery rouble", "flags fans", "diesel board"]):
        make_article(f"Oil {n}", body=OIL.format(words))
    monkeypatch.setattr(lists, "BLOCK", 2)
    monkeypatch.setattr(lists, "CHUNK", 2)
    monkeypatch.setattr(neighbours, "BLOCK", 2)
    lists.rebuild()
    built = {
        pk: [link.related_id for link in related_links_of(pk)]
        for pk in full_computation_lists(4)
    }
    assert built == full_computation_lists(4)


def related_links_of(pk):
    return RelatedLink.objects.filter(article_id=pk).order_by("rank")


def test_a_rebuild_never_compares_an_article_with_the_whole_archive(
    desk, make_article, monkeypatch
):
    """No similarity row against every article, and no body held beyond a block:
    memory does not grow with the archive's texts or its pairs."""
    from byline.related.engine import Corpus

    for n, words in enumerate(["refinery rouble", "flags fans", "diesel board"]):
        make_article(f"Oil {n}", body=OIL.format(words))

    def whole_row(*args):
        raise AssertionError("a similarity row against the whole archive")

    monkeypatch.setattr(Corpus, "similarities", whole_row)
    monkeypatch.setattr(lists, "BLOCK", 2, raising=False)
    monkeypatch.setattr(lists, "CHUNK", 1)
    load = lists.load_documents
    bodies = []

    def load_documents(with_body=True, ids=None):
        read = load(with_body=with_body, ids=ids)
        if with_body:
            bodies.append(len(read))
        return read

    monkeypatch.setattr(lists, "load_documents", load_documents)
    lists.rebuild()
    assert shown(desk["cup"])[0] == desk["coach"].pk
    # A block, or one list's reasons (its article and four picks), of 8 articles.
    assert bodies and max(bodies) <= 5


def test_a_refresh_in_a_fresh_worker_looks_candidates_up_in_the_index(
    desk, make_article, settings, monkeypatch
):
    """A fresh worker's refresh finds candidates through the capped index, and an
    article published since a running worker made its index is found by the
    next publish's refresh."""
    from byline.related.engine import Corpus

    settings.RELATED_FULL_REBUILD_BELOW = 0
    lists.rebuild()

    def whole_row(*args):
        raise AssertionError("a similarity row against the whole archive")

    monkeypatch.setattr(Corpus, "similarities", whole_row)
    refreshing.forget_model()  # a fresh worker
    first = make_article("Oil sanctions widen", body=OIL.format("refinery insurers"))
    refreshing.refresh(first.pk)
    assert first.pk in shown(desk["oil1"])
    # The running worker's index predates `first`: the next refresh still finds it.
    second = make_article("Oil sanctions widen more", body=OIL.format("insurers"))
    refreshing.refresh(second.pk)
    assert first.pk in shown(second)
    assert second.pk in shown(first)


def test_unpublishing_the_last_articles_leaves_empty_lists_without_error(
    desk, django_capture_on_commit_callbacks
):
    """With no article left to list, the refresh that follows each unpublish
    builds an empty index (it raised a ValueError building it from no rows)."""
    lists.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        for article in desk.values():
            article.unpublish()
    lists.rebuild()
    assert not RelatedLink.objects.exists()


def test_rebuild_leaves_postgresql_statistics_of_the_tables_it_rewrote(desk):
    """The planner counts the rows the rebuild wrote (ANALYZE after it): with
    the statistics of the tables before, a publish's refresh read every link."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    lists.rebuild()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'related_relatedlink'"
        )
        estimated = cursor.fetchone()[0]
    assert estimated == RelatedLink.objects.count() > 0
