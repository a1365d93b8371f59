"""Follow one publish, edit or unpublish: recompute that article's related list
and the lists it may now join (or must leave), from what is stored.

A refresh reads only the articles it touches (`stored.Stored`): the changed
article's vector, its nearest articles through the stored term index, the lists
they show, and for each list to recompute its own nearest articles and the
newest of its section. Nothing grows with the archive, so a worker needs no copy
of the archive in memory and a freshly started one refreshes as fast as a
running one (bench/README.md, "one publish at a million"). Below
RELATED_FULL_REBUILD_BELOW articles a change relearns everything instead.
"""

import logging

import numpy as np
from django.db import transaction

from byline.news.public import public_articles
from byline.related import neighbours, postings, vectors
from byline.related.corpus import relearns_in_full, section_titles, vectorise
from byline.related.engine import (
    FALLBACK_POOL,
    KEEP,
    Candidates,
    density_of,
    per_article,
    strongest,
)
from byline.related.lists import (
    MAX_AFFECTED,
    editor_choices,
    one_blas_thread,
    rebuild,
    write_lists,
)
from byline.related.models import ArticleVector, RelatedLink, TextModel
from byline.related.signals import lists_changed
from byline.related.stored import Stored

logger = logging.getLogger(__name__)
# The vocabulary of the text model this process last read, by the model's date.
_model = {"built_at": None, "terms": None, "vectorizer": None}


def text_model():
    """Return (terms, vectorizer) of the stored model, or None before the first
    rebuild; read once per process and model (a rebuild makes a new one)."""
    model = TextModel.objects.defer("data").first()
    if model is None:
        return None
    if _model["built_at"] != model.built_at:
        terms, idf = TextModel.objects.get(pk=model.pk).load_vocabulary()
        _model.update(
            built_at=model.built_at,
            terms=terms,
            vectorizer=vectors.from_vocabulary(terms, idf),
        )
    return _model["terms"], _model["vectorizer"]


def warm():
    """Read the text model now, so that the first refresh a worker runs does not
    (`run_worker` calls this before taking tasks). Returns the number of
    articles it was learnt from, 0 when a refresh would rebuild anyway."""
    if relearns_in_full() or text_model() is None:
        return 0
    return TextModel.objects.defer("data").first().documents


def forget_model():
    """Forget the vocabulary this process holds, as a freshly started worker."""
    _model.update(built_at=None, terms=None, vectorizer=None)


@one_blas_thread
def refresh(article_id, containing=(), terms=()):
    """Follow a change to one article; for an article already deleted, whose links
    and vector are gone, `containing` lists ids of lists that showed it and
    `terms` its vector's terms."""
    model = None if relearns_in_full() else text_model()
    if model is None:
        rebuild()
        return
    vocabulary, vectorizer = model
    if postings.missing():
        postings.store_from_vectors(vocabulary, vectorizer.idf_)
    old = ArticleVector.objects.filter(article_id=article_id).values_list(
        "data", flat=True
    )
    old_terms = ArticleVector.unpack(old[0])[0] if old else np.asarray(terms)
    is_live = public_articles().filter(pk=article_id).exists()
    if is_live:
        packed = vectorise(vectorizer, [article_id])
        postings.move(
            article_id, old_terms, *ArticleVector.unpack(packed[article_id][0])
        )
    else:
        ArticleVector.objects.filter(article_id=article_id).delete()
        RelatedLink.objects.filter(article_id=article_id).delete()
        postings.move(article_id, old_terms)
    stored = Stored(vocabulary)
    showing = set(containing) | set(
        RelatedLink.objects.filter(related_id=article_id).values_list(
            "article_id", flat=True
        )
    )
    # Past MAX_AFFECTED, what is refreshed goes in this order: the article's own
    # list, the lists showing it (newest first: they show a changed or departed
    # article), then the lists it may join, closest first.
    order = [article_id] if is_live else []
    order += sorted(showing, reverse=True)
    if is_live:
        order += _lists_it_may_join(stored, article_id)
    order = list(dict.fromkeys(order))
    stored.read_documents(order)
    stored.read_vectors(order)
    affected = [pk for pk in order if pk in stored.documents and pk in stored.entries]
    if len(affected) > MAX_AFFECTED:
        logger.info(
            "related: %d lists affected, refreshing %d: the article's own, those "
            "showing it, then the closest it may join",
            len(affected),
            MAX_AFFECTED,
        )
    affected = sorted(affected[:MAX_AFFECTED])
    recompute(stored, affected, vectorizer, also=[article_id] if is_live else [])


def _lists_it_may_join(stored, article_id):
    """Ids of the lists among the article's nearest that it now belongs in: not
    full yet, or showing a text pick it outranks, closest first. Measures its
    density."""
    keep = MAX_AFFECTED + 1
    near = stored.nearest([article_id], keep, max(neighbours.SHORTLIST, 2 * keep))
    ids, sims = near.get(article_id, (np.zeros(0, dtype=np.int64), np.zeros(0)))
    stored.read_documents([article_id, *ids.tolist()])
    corpus = stored.corpus([article_id, *ids.tolist()], section_titles())
    if article_id not in corpus.row_of:
        return []
    row = corpus.row_of[article_id]
    present = np.array([int(pk) in corpus.row_of for pk in ids], dtype=bool)
    ids, sims = ids[present], sims[present]
    columns = np.array([corpus.row_of[int(pk)] for pk in ids], dtype=np.int64)
    corpus.density[row] = density_of(row, strongest(Candidates(columns, sims)))
    stored.density[article_id] = float(corpus.density[row])
    order = np.argsort(-sims, kind="stable")[:MAX_AFFECTED]
    candidates = {int(ids[i]): (int(columns[i]), float(sims[i])) for i in order}
    candidates.pop(article_id, None)
    current = {}
    for pk, score, why in RelatedLink.objects.filter(
        article_id__in=list(candidates)
    ).values_list("article_id", "score", "why"):
        current.setdefault(pk, []).append((score, why))
    joining = []
    for pk, (col, text) in candidates.items():  # closest first
        stored_picks = current.get(pk, [])
        engine = [s for s, why in stored_picks if why == RelatedLink.Why.TEXT]
        pinned = sum(why == RelatedLink.Why.PINNED for _, why in stored_picks)
        if len(engine) + pinned < per_article():
            joining.append(pk)
        elif engine and corpus.rank(col, row, text) > min(engine):
            joining.append(pk)
    return joining


def latest_pools(section_ids):
    """The ids of the FALLBACK_POOL newest live articles of the site, and of each
    given section (None: articles without one): what a list too short on text
    picks is topped up from, newest first, undated articles last."""
    articles = public_articles()
    site = _newest(articles)
    sections = {
        section_id: _newest(articles.filter(section_id=section_id))
        for section_id in section_ids
    }
    return site, sections


def _newest(articles):
    # Dated and undated apart: the date indexes (DESC) keep nulls first on
    # PostgreSQL, so one "nulls last" ordering would sort every article.
    dated = list(
        articles.filter(published_at__isnull=False)
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)[:FALLBACK_POOL]
    )
    if len(dated) == FALLBACK_POOL:
        return dated
    undated = articles.filter(published_at__isnull=True).order_by("-pk")
    return dated + list(
        undated.values_list("pk", flat=True)[: FALLBACK_POOL - len(dated)]
    )


def recompute(stored, article_ids, vectorizer, also=()):
    """Recompute and store the lists of the given live articles, scoring the
    articles `also` as candidates of each (`Stored.nearest`)."""
    if not article_ids:
        return
    choices = editor_choices(article_ids)
    near = stored.nearest(article_ids, KEEP, also=also)
    site, sections = latest_pools(
        {stored.documents[pk].section_id for pk in article_ids}
    )
    pins = [pk for pins, _ in choices.values() for pk in pins]
    wanted = {*article_ids, *site, *pins}
    wanted.update(pk for pool in sections.values() for pk in pool)
    wanted.update(pk for ids, _ in near.values() for pk in ids.tolist())
    stored.read_documents(wanted)
    stored.read_vectors(wanted)
    _vectorise_missing(stored, vectorizer)
    corpus = stored.corpus(wanted, section_titles())
    row_of = corpus.row_of
    corpus.latest = [row_of[pk] for pk in site if pk in row_of]
    corpus.latest_by_section = {
        section_id: [row_of[pk] for pk in pool if pk in row_of]
        for section_id, pool in sections.items()
    }
    article_ids = [pk for pk in article_ids if pk in row_of]
    rows = [row_of[pk] for pk in article_ids]
    candidates = {}
    for pk, row in zip(article_ids, rows, strict=True):
        ids, sims = near.get(pk, (np.zeros(0, dtype=np.int64), np.zeros(0)))
        present = np.array([int(i) in row_of for i in ids], dtype=bool)
        columns = np.array([row_of[int(i)] for i in ids[present]], dtype=np.int64)
        candidates[pk] = Candidates(columns, sims[present].astype(np.float32))
        # Their densities first (they may be each other's candidates).
        corpus.density[row] = density_of(row, candidates[pk])
    lists = {}
    for pk, row in zip(article_ids, rows, strict=True):
        pins, blocks = choices.get(pk, ((), set()))
        lists[pk] = corpus.choose(row, candidates[pk], pins=pins, blocks=blocks)
    _store(corpus, lists, article_ids, rows)


def _vectorise_missing(stored, vectorizer):
    """Live articles without a vector (published while no worker ran, say) get
    one now, and their place in the term index."""
    lacking = [pk for pk in stored.documents if pk not in stored.entries]
    if not lacking:
        return
    for pk, (data, _) in vectorise(vectorizer, lacking).items():
        postings.move(pk, postings.NOTHING[0], *ArticleVector.unpack(data))
    stored.read_vectors(lacking)


def _store(corpus, lists, article_ids, rows):
    before = {}
    for pk, related_id in (
        RelatedLink.objects.filter(article_id__in=article_ids)
        .order_by("article_id", "rank")
        .values_list("article_id", "related_id")
    ):
        before.setdefault(pk, []).append(related_id)
    with transaction.atomic():
        ArticleVector.objects.bulk_update(
            [
                ArticleVector(article_id=pk, density=float(corpus.density[row]))
                for pk, row in zip(article_ids, rows, strict=True)
            ],
            ["density"],
        )
        RelatedLink.objects.filter(article_id__in=article_ids).delete()
        write_lists(lists)
        changed = [
            pk
            for pk, picks in lists.items()
            if [p.article_id for p in picks] != before.get(pk, [])
        ]
        if changed:
            lists_changed.send(sender=RelatedLink, article_ids=changed)
