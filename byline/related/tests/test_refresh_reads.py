"""A refresh reads what it touches, not the archive: the term index is stored by
each rebuild and kept by each refresh (issue 21, "one publish's refresh at most
2 s, in a fresh worker too"; bench/README.md)."""

import threading
import time

import pytest
from django.db import connection, connections

from byline.related import corpus, lists, neighbours, postings, refreshing
from byline.related.models import ArticleVector, RelatedLink, TermPostings, TextModel
from byline.related.tests.test_lists import OIL, SPORT, shown

TOPICS = [
    "<p>Orchestra violin concerto symphony conductor {}</p>",
    "<p>Glacier melt climate carbon emissions warming {}</p>",
    "<p>Vaccine hospital doctors patients clinic {}</p>",
    "<p>Election ballot voters parliament campaign {}</p>",
]
NEW_WORDS = "insurers baltic ports ban lawyers freight"
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()


@pytest.fixture
def archive(make_article, other_section, settings):
    """Oil and sport stories among forty on other topics, rebuilt."""
    settings.RELATED_FULL_REBUILD_BELOW = 0
    made = {
        "oil1": make_article("Oil sanctions bite", body=OIL.format("refinery diesel")),
        "oil2": make_article("Kremlin shrugs", body=OIL.format("rouble budget")),
        "cup": make_article(
            "Cup final", body=SPORT.format("trophy fans"), parent=other_section
        ),
    }
    for n in range(40):
        words = f"{WORDS[n % 10]} {WORDS[(n * 3 + 1) % 10]}"
        made[n] = make_article(f"Story {n}", body=TOPICS[n % len(TOPICS)].format(words))
    lists.rebuild()
    return made


def stored_postings():
    return {
        term: dict(zip(*(a.tolist() for a in ArticleVector.unpack(data)), strict=True))
        for term, data in TermPostings.objects.values_list("term", "data")
    }


def test_a_rebuild_stores_the_capped_index_it_made(archive):
    whole = corpus.corpus_from_vectors(*TextModel.objects.get().load_vocabulary())
    index = neighbours.capped_index(whole.matrix).tocsr()
    expected = {}
    for term in range(index.shape[0]):
        start, end = index.indptr[term], index.indptr[term + 1]
        if end > start:
            ids = whole.ids[index.indices[start:end]].tolist()
            expected[term] = dict(zip(ids, index.data[start:end].tolist(), strict=True))
    assert stored_postings() == expected


def test_a_fresh_worker_refreshes_without_reading_the_archive(
    archive, make_article, monkeypatch
):
    """Only the articles a refresh touches are read: never every live article.
    With lists, pools and neighbourhoods far smaller than the archive (as at a
    million articles), far fewer than the archive."""
    for name, value in (("KEEP", 4), ("MAX_AFFECTED", 4), ("FALLBACK_POOL", 2)):
        monkeypatch.setattr(refreshing, name, value)
    read = []
    load = corpus.load_documents

    def load_documents(with_body=True, ids=None):
        assert ids is not None, "a refresh read every live article"
        read.extend(ids)
        return load(with_body=with_body, ids=ids)

    monkeypatch.setattr(corpus, "load_documents", load_documents)
    monkeypatch.setattr("byline.related.stored.load_documents", load_documents)
    refreshing.forget_model()
    new = make_article("Oil sanctions widen", body=OIL.format(NEW_WORDS))
    refreshing.refresh(new.pk)
    assert new.pk in shown(archive["oil1"])
    assert shown(new)[0] in {archive["oil1"].pk, archive["oil2"].pk}
    assert len(set(read)) < len(archive) / 3


def test_a_refresh_moves_its_article_in_and_out_of_the_index(archive, make_article):
    new = make_article("Oil sanctions widen", body=OIL.format(NEW_WORDS))
    refreshing.refresh(new.pk)
    terms, weights = ArticleVector.unpack(
        ArticleVector.objects.get(article_id=new.pk).data
    )
    now = stored_postings()
    assert all(
        now[t][new.pk] == w
        for t, w in zip(terms.tolist(), weights.tolist(), strict=True)
    )

    new.unpublish()
    refreshing.refresh(new.pk)
    assert all(new.pk not in entries for entries in stored_postings().values())


def test_a_full_list_takes_only_heavier_articles_heaviest_first(db, monkeypatch):
    monkeypatch.setattr(neighbours, "POSTINGS", 3)
    postings.move(1, [], [7], [0.5])
    postings.move(2, [], [7], [0.75])
    postings.move(3, [], [7], [0.5])  # ties go to the older
    postings.move(4, [], [7], [0.25])  # too light for a full list
    assert stored_postings() == {7: {2: 0.75, 1: 0.5, 3: 0.5}}
    ids, _ = postings.read([7])[7]
    assert ids.tolist() == [2, 1, 3]
    postings.move(2, [7], [7], [0.375])  # an edit
    assert postings.read([7])[7][0].tolist() == [1, 3, 2]
    postings.move(1, [7])
    postings.move(3, [7])
    postings.move(2, [7])
    assert not TermPostings.objects.exists()


def test_an_archive_rebuilt_before_postings_gets_them_at_its_first_refresh(
    archive, make_article
):
    before = stored_postings()
    TermPostings.objects.all().delete()
    new = make_article("Oil sanctions widen", body=OIL.format(NEW_WORDS))
    refreshing.refresh(new.pk)
    assert new.pk in shown(archive["oil1"])
    after = stored_postings()
    for entries in after.values():
        entries.pop(new.pk, None)
    assert {t: e for t, e in after.items() if e} == before


def test_a_deleted_article_leaves_the_postings_where_a_look_up_meets_it(
    archive, django_capture_on_commit_callbacks
):
    """Its vector goes with it, so no refresh can name its terms: the look-ups of
    the lists that showed it find it gone and take it out."""
    oil1, oil2 = archive["oil1"], archive["oil2"]
    assert oil2.pk in shown(oil1)
    gone = oil2.pk
    with django_capture_on_commit_callbacks(execute=True):
        oil2.delete()
    assert gone not in shown(oil1)
    terms = ArticleVector.unpack(ArticleVector.objects.get(article_id=oil1.pk).data)[0]
    now = stored_postings()
    assert all(gone not in now.get(term, {}) for term in terms.tolist())


def test_a_deleted_articles_terms_reach_its_refresh(archive, make_article):
    """The vector goes with the page (cascade), so the delete names its terms for
    the refresh, which takes it out of every list of postings."""
    from byline.related.receivers import article_deleted

    new = make_article("Oil sanctions widen", body=OIL.format(NEW_WORDS))
    refreshing.refresh(new.pk)
    assert any(new.pk in entries for entries in stored_postings().values())
    enqueued = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "byline.related.receivers._after_commit",
            lambda task, *args: enqueued.append(args),
        )
        article_deleted(type(new), new)
    pk, containing, terms = enqueued[0]
    new.delete()
    refreshing.refresh(pk, containing=containing, terms=terms)
    assert all(pk not in entries for entries in stored_postings().values())


def test_a_look_up_scores_the_changed_article_for_every_list(archive, monkeypatch):
    """With one article a term, a list's look-up reaches few articles; the one a
    refresh follows is scored for every list all the same, at its true cosine."""
    from byline.related.stored import Stored

    monkeypatch.setattr(neighbours, "POSTINGS", 1)
    lists.rebuild()
    oil1, far = archive["oil1"].pk, archive[1].pk
    terms, _ = refreshing.text_model()
    plain = Stored(terms).nearest([oil1], 10)[oil1][0].tolist()
    assert far not in plain
    found, sims = Stored(terms).nearest([oil1], 10, also=[far])[oil1]
    assert far in found.tolist()
    whole = corpus.corpus_from_vectors(*TextModel.objects.get().load_vocabulary())
    exact = whole.similarities([whole.row_of[oil1]])[0, whole.row_of[far]]
    assert sims[found.tolist().index(far)] == pytest.approx(exact, abs=1e-6)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time"
)
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_changing_one_term_at_once_keep_both_changes():
    """Each change reads a term's list and writes it back: a second one that read
    before the first committed would write the list without the first's entry."""
    TextModel.objects.create(documents=0, data=b"")
    postings.move(10, [], [7], [0.75])
    read = postings.read
    first_read = threading.Event()

    def slow_read(terms):
        found = read(terms)
        if threading.current_thread().name == "first":
            first_read.set()
            time.sleep(1)  # the second change starts meanwhile
        return found

    def change(article_id, weight):
        try:
            postings.move(article_id, [], [7, 8], [weight, weight])
        finally:
            connections.close_all()

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(postings, "read", slow_read)
    try:
        first = threading.Thread(target=change, args=(1, 0.5), name="first")
        first.start()
        first_read.wait(5)
        second = threading.Thread(target=change, args=(2, 0.25), name="second")
        second.start()
        first.join()
        second.join()
    finally:
        monkeypatch.undo()
    assert postings.read([7])[7][0].tolist() == [10, 1, 2]
    assert postings.read([8])[8][0].tolist() == [1, 2]


def test_past_the_cap_a_refresh_keeps_the_articles_own_list_first(archive, monkeypatch):
    """More lists affected than MAX_AFFECTED: the changed article's own list is
    made first, then those showing it. Lower ids once went first, and the
    lists showing the newest story all have lower ids than its own."""
    monkeypatch.setattr(refreshing, "MAX_AFFECTED", 2)
    story = archive[39]
    showing = RelatedLink.objects.filter(related_id=story.pk)
    assert showing.filter(article_id__lt=story.pk).count() >= 2
    assert not set(shown(story)) & {archive["oil1"].pk, archive["oil2"].pk}
    story.body = OIL.format(NEW_WORDS)
    story.save_revision().publish()
    refreshing.refresh(story.pk)
    assert shown(story)[0] in {archive["oil1"].pk, archive["oil2"].pk}
