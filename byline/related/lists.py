"""Choose every article's related list, explain it and store it.

`rebuild()` relearns the text model from every live, public article and
recomputes every list. `refresh(article_id)` follows one publish, edit or
unpublish: it recomputes that article's list and the lists it may now belong to
(or must leave), from the stored vectors, without relearning the vocabulary.
Each list is chosen and explained by `engine.Corpus.choose` (reasons from
`reasons.py`); the corpus comes from `corpus.py`; a change to the lists shown is
announced with `signals.lists_changed`.
"""

import logging

import numpy as np
from django.db import transaction
from wagtail.images import get_image_model

from byline.news.models import ArticlePage
from byline.news.public import public_articles
from byline.related import semantic, vectors
from byline.related.corpus import (
    corpus_from_vectors,
    load_documents,
    relearns_in_full,
    remember,
    section_titles,
    vectorise,
    warm_corpus,
)
from byline.related.engine import Corpus, density_of, per_article, strongest
from byline.related.models import ArticleVector, EditorChoice, RelatedLink, TextModel
from byline.related.signals import lists_changed

logger = logging.getLogger(__name__)
THUMBNAIL = "fill-480x270"
CHUNK = 500
MAX_AFFECTED = 200


def editor_choices(article_ids=None):
    """Return {article id: (pinned ids in order, blocked ids)}."""
    rows = EditorChoice.objects.order_by("page_id", "sort_order", "pk")
    if article_ids is not None:
        rows = rows.filter(page_id__in=article_ids)
    choices = {}
    for page_id, target_id, kind in rows.values_list("page_id", "target_id", "kind"):
        pins, blocks = choices.setdefault(page_id, ([], set()))
        if kind == EditorChoice.Kind.PIN:
            pins.append(target_id)
        else:
            blocks.add(target_id)
    return choices


def rebuild(progress=None):
    """Relearn the text model and recompute every list. Returns the article count.

    progress(done, stage) hears of articles done in each of the two stages,
    "similarities" and then "lists"."""
    documents = list(load_documents().values())
    vectorizer = vectors.fit(documents)
    matrix = vectors.transform(vectorizer, documents)
    terms, idf = vectors.vocabulary(vectorizer)
    corpus = Corpus(documents, matrix, terms, section_titles())
    if semantic.enabled():
        corpus.embeddings = semantic.embed(documents)
        corpus.semantic_weight = semantic.weight()
    choices = editor_choices()

    # Two passes: every article's density needs every similarity row, and the
    # lists need the densities; the first pass keeps each row's strongest few.
    candidates = []
    # Each chunk's similarity rows can hold one entry per article: bound the memory.
    chunk = max(50, min(CHUNK, 20_000_000 // max(1, len(corpus))))
    for start in range(0, len(corpus), chunk):
        rows = list(range(start, min(start + chunk, len(corpus))))
        similarities = corpus.similarities(rows)
        for offset, row in enumerate(rows):
            candidates.append(strongest(similarities[offset]))
            corpus.density[row] = density_of(row, candidates[row])
        if progress:
            progress(len(rows), "similarities")
    lists = {}
    for row, strongest_of_row in enumerate(candidates):
        article_id = int(corpus.ids[row])
        pins, blocks = choices.get(article_id, ((), set()))
        lists[article_id] = corpus.choose(
            row, strongest_of_row, pins=pins, blocks=blocks
        )
        if progress and (row + 1) % CHUNK == 0:
            progress(CHUNK, "lists")
    if progress and len(candidates) % CHUNK:
        progress(len(candidates) % CHUNK, "lists")
    del candidates

    with transaction.atomic():
        model = TextModel.objects.first() or TextModel(documents=0)
        model.documents = len(documents)
        model.save_vocabulary(terms, idf)
        model.save()
        ArticleVector.objects.all().delete()
        ArticleVector.objects.bulk_create(
            (
                ArticleVector(
                    article_id=int(corpus.ids[row]),
                    data=ArticleVector.pack(*vectors.row_entries(corpus.matrix, row)),
                    embedding=(
                        None
                        if corpus.embeddings is None
                        else semantic.pack(corpus.embeddings[row])
                    ),
                    density=float(corpus.density[row]),
                )
                for row in range(len(corpus))
            ),
            batch_size=2000,
        )
        RelatedLink.objects.all().delete()
        write_lists(lists)
        lists_changed.send(sender=RelatedLink, article_ids=None)
    remember(corpus)
    return len(documents)


def refresh(article_id, containing=()):
    """Follow a change to one article; `containing` lists ids of lists that showed it
    (for an article already deleted, whose links are gone)."""
    model = TextModel.objects.first()
    if model is None or relearns_in_full():
        rebuild()
        return
    terms, idf = model.load_vocabulary()
    is_live = public_articles().filter(pk=article_id).exists()
    corpus = warm_corpus()
    if is_live:
        packed = vectorise(vectors.from_vocabulary(terms, idf), [article_id])
    else:
        ArticleVector.objects.filter(article_id=article_id).delete()
        RelatedLink.objects.filter(article_id=article_id).delete()
    if corpus is None:
        corpus = corpus_from_vectors(terms, idf)
    elif is_live:
        document = load_documents(with_body=False, ids=[article_id])[article_id]
        corpus = corpus.with_document(
            document, ArticleVector.unpack(packed[article_id][0])
        )
    else:
        corpus = corpus.without(article_id)
    remember(corpus)
    affected = set(containing) | set(
        RelatedLink.objects.filter(related_id=article_id).values_list(
            "article_id", flat=True
        )
    )
    if is_live:
        affected.add(article_id)
        affected |= _lists_it_may_join(corpus, corpus.row_of[article_id])
    affected = sorted(pk for pk in affected if pk in corpus.row_of)
    if len(affected) > MAX_AFFECTED:
        logger.info(
            "related: %d lists affected, refreshing the closest %d",
            len(affected),
            MAX_AFFECTED,
        )
        affected = affected[:MAX_AFFECTED]
    recompute(corpus, affected)


def _lists_it_may_join(corpus, row):
    similarities = corpus.similarities([row])[0]
    corpus.density[row] = density_of(row, strongest(similarities))
    cols, sims = similarities.indices, similarities.data
    order = np.argsort(-sims, kind="stable")[:MAX_AFFECTED]
    candidates = {
        int(corpus.ids[cols[i]]): (int(cols[i]), float(sims[i])) for i in order
    }
    candidates.pop(int(corpus.ids[row]), None)
    current = {}
    for pk, score, why in RelatedLink.objects.filter(
        article_id__in=list(candidates)
    ).values_list("article_id", "score", "why"):
        current.setdefault(pk, []).append(_Stored(score, why))
    joining = set()
    for pk, (col, text) in candidates.items():
        stored = current.get(pk, [])
        engine = [s.score for s in stored if s.why == RelatedLink.Why.TEXT]
        if (
            len(engine) + sum(s.why == RelatedLink.Why.PINNED for s in stored)
            < per_article()
        ):
            joining.add(pk)
        elif engine and corpus.rank(col, row, text) > min(engine):
            joining.add(pk)
    return joining


class _Stored:
    __slots__ = ("score", "why")

    def __init__(self, score, why):
        self.score, self.why = score, why


def recompute(corpus, article_ids):
    """Recompute and store the lists of the given live articles."""
    if not article_ids:
        return
    choices = editor_choices(article_ids)
    rows = [corpus.row_of[pk] for pk in article_ids]
    similarities = corpus.similarities(rows)
    # Their densities first (they may be each other's candidates); the other
    # articles' densities move a little with each publish and are measured
    # again by their own refreshes and by rebuilds.
    candidates = [strongest(similarities[offset]) for offset in range(len(rows))]
    for row, strongest_of_row in zip(rows, candidates, strict=True):
        corpus.density[row] = density_of(row, strongest_of_row)
    lists = {}
    for pk, row, strongest_of_row in zip(article_ids, rows, candidates, strict=True):
        pins, blocks = choices.get(pk, ((), set()))
        lists[pk] = corpus.choose(row, strongest_of_row, pins=pins, blocks=blocks)
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


def write_lists(lists):
    """Store lists ({article id: picks, best first}) with their card thumbnails."""
    related_ids = {p.article_id for picks in lists.values() for p in picks}
    images = (
        dict(
            ArticlePage.objects.filter(
                pk__in=related_ids, hero_image__isnull=False
            ).values_list("pk", "hero_image_id")
        )
        if related_ids
        else {}
    )
    thumbnails = _thumbnails(set(images.values()))
    RelatedLink.objects.bulk_create(
        (
            RelatedLink(
                article_id=article_id,
                related_id=pick.article_id,
                rank=rank,
                score=pick.score,
                why=pick.why,
                reason=pick.reason[:120],
                thumbnail_id=thumbnails.get(images.get(pick.article_id)),
            )
            for article_id, picks in lists.items()
            for rank, pick in enumerate(picks, start=1)
        ),
        batch_size=5000,
    )


def _thumbnails(image_ids):
    """Return {image id: rendition id} for the card size, creating what is missing."""
    if not image_ids:
        return {}
    found = {}
    for image in (
        get_image_model()
        .objects.filter(pk__in=image_ids)
        .prefetch_renditions(THUMBNAIL)
    ):
        try:
            found[image.pk] = image.get_rendition(THUMBNAIL).pk
        except Exception:  # a missing or unreadable file must not stop the lists
            logger.warning(
                "related: no thumbnail for image %s", image.pk, exc_info=True
            )
    return found
