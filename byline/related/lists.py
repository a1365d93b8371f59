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
from threadpoolctl import threadpool_limits
from wagtail.images import get_image_model

from byline.news.models import ArticlePage
from byline.news.public import public_articles
from byline.related import neighbours, semantic, vectors
from byline.related.corpus import (
    corpus_from_vectors,
    load_documents,
    relearns_in_full,
    remember,
    section_titles,
    vectorise,
    warm_corpus,
)
from byline.related.engine import (
    KEEP,
    Candidates,
    Corpus,
    density_of,
    per_article,
    strongest,
)
from byline.related.models import ArticleVector, EditorChoice, RelatedLink, TextModel
from byline.related.reasontexts import ReasonTexts
from byline.related.signals import lists_changed

logger = logging.getLogger(__name__)
THUMBNAIL = "fill-480x270"
CHUNK = 500
# Articles whose texts a rebuild holds at a time.
BLOCK = 2000
# Vectors a rebuild writes (and holds as model instances) at a time.
WRITE_BATCH = 2000
MAX_AFFECTED = 200
# Articles changed since a worker made its index, before it makes it again.
MAX_UNINDEXED = 1000
# Choosing multiplies small dense blocks (`vectors.Gram`): BLAS threads would
# only spin beside them (twice the CPU at 10,000 articles, measured).
one_blas_thread = threadpool_limits.wrap(limits=1, user_api="blas")


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


@one_blas_thread
def rebuild(progress=None):
    """Relearn the text model and recompute every list. Returns the article count.

    progress(done, stage) hears of articles done in each of the two stages,
    "similarities" and then "lists".

    Memory is bounded by the archive's vectors, not its texts or its pairs:
    bodies are read `BLOCK` articles at a time (once to learn the vocabulary,
    once to make the vectors), each article's nearest articles come from
    `neighbours.py` a block at a time, and the lists are chosen, explained and
    written a chunk at a time."""
    documents = list(load_documents(with_body=False).values())
    vectorizer = vectors.fit(_with_bodies(documents))
    terms, idf = vectors.vocabulary(vectorizer)
    texts = ReasonTexts()
    matrix, embeddings = _vectorise_all(vectorizer, documents, texts)
    corpus = Corpus(documents, matrix, terms, section_titles(), embeddings=embeddings)
    corpus.reason_texts = texts
    if embeddings is not None:
        corpus.semantic_weight = semantic.weight()
    corpus.index = neighbours.Index.of(corpus.matrix)

    # Two passes: every article's density needs its nearest articles, and the
    # lists need the densities; the first pass keeps each row's strongest few.
    nearest = np.full((len(corpus), KEEP), -1, dtype=np.int32)
    closeness = np.zeros((len(corpus), KEEP), dtype=np.float32)
    for rows, columns, similarities in neighbours.nearest(
        corpus.matrix,
        corpus.index.by_term,
        KEEP,
        progress=progress and (lambda done: progress(done, "similarities")),
    ):
        nearest[rows], closeness[rows] = columns, similarities
        for row in rows.tolist():
            corpus.density[row] = density_of(row, _candidates(nearest, closeness, row))

    with transaction.atomic():
        model = TextModel.objects.first() or TextModel(documents=0)
        model.documents = len(documents)
        model.save_vocabulary(terms, idf)
        model.save()
        ArticleVector.objects.all().delete()
        _write_vectors(corpus)
        RelatedLink.objects.all().delete()
        choices = editor_choices()
        for start in range(0, len(corpus), CHUNK):
            rows = range(start, min(start + CHUNK, len(corpus)))
            write_lists(_lists_of(corpus, rows, nearest, closeness, choices))
            if progress:
                progress(len(rows), "lists")
        lists_changed.send(sender=RelatedLink, article_ids=None)
    corpus.reason_texts = {}
    texts.close()
    remember(corpus)
    return len(documents)


def _write_vectors(corpus):
    """Store every article's vector and density, WRITE_BATCH rows at a time
    (`bulk_create` makes a list of whatever it is given: one call for the whole
    archive held a model instance and a packed copy of every vector at once)."""
    for start in range(0, len(corpus), WRITE_BATCH):
        ArticleVector.objects.bulk_create(
            [
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
                for row in range(start, min(start + WRITE_BATCH, len(corpus)))
            ]
        )


def _blocks_with_bodies(documents):
    """Yield the documents again with their bodies, BLOCK at a time (one
    unpublished meanwhile comes back as it was, without a body)."""
    for start in range(0, len(documents), BLOCK):
        block = documents[start : start + BLOCK]
        read = load_documents(ids=[d.id for d in block])
        yield [read.get(d.id, d) for d in block]


def _with_bodies(documents):
    for block in _blocks_with_bodies(documents):
        yield from block


def _vectorise_all(vectorizer, documents, texts):
    """Return (matrix, embeddings or None) of the documents, BLOCK at a time;
    keep their reason texts in `texts`."""
    embeddings = []
    width = len(getattr(vectorizer, "vocabulary_", {}) or {})

    def blocks():
        for block in _blocks_with_bodies(documents):
            yield vectors.transform(vectorizer, block)
            texts.add(block)
            if semantic.enabled():
                embeddings.append(semantic.embed(block))

    matrix = vectors.stacked(blocks(), width)
    texts.finish()
    return matrix, (np.vstack(embeddings) if embeddings else None)


def _candidates(nearest, closeness, row):
    found = nearest[row] >= 0
    return Candidates(nearest[row][found], closeness[row][found])


def _lists_of(corpus, rows, nearest, closeness, choices):
    """Choose and explain the lists of `rows` ({article id: picks}); the reason
    texts come from the rebuild's `ReasonTexts`."""
    lists = {}
    for row in rows:
        article_id = int(corpus.ids[row])
        pins, blocks = choices.get(article_id, ((), set()))
        lists[article_id] = corpus.choose(
            row, _candidates(nearest, closeness, row), pins, blocks
        )
    return lists


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
        # Every posting (the matrix transposed, made in a fraction of the capped
        # index's time): this refresh looks up a few hundred rows at most, and
        # `corpus.warm()` makes the capped index for a worker's many refreshes.
        corpus.index = neighbours.Index(corpus.matrix.T.tocsr())
    elif is_live:
        document = load_documents(with_body=False, ids=[article_id])[article_id]
        index = corpus.index
        corpus = corpus.with_document(
            document, ArticleVector.unpack(packed[article_id][0])
        )
        corpus.index = None if index is None else index.adding(article_id)
    elif article_id in corpus.row_of:
        index, row = corpus.index, corpus.row_of[article_id]
        corpus = corpus.without(article_id)
        corpus.index = None if index is None else index.removing(row, article_id)
    if corpus.index is None or len(corpus.index.added) > MAX_UNINDEXED:
        corpus.index = neighbours.Index.of(corpus.matrix)
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


def _nearest(corpus, rows, keep=KEEP):
    """[(columns, similarities)] of the `keep` articles nearest to each row, found
    through the corpus's capped index (never a row against the whole archive)."""
    index = corpus.index
    also = [corpus.row_of[pk] for pk in index.added if pk in corpus.row_of]
    columns, similarities = neighbours.nearest_to(
        corpus.matrix,
        index.by_term,
        corpus.matrix[rows],
        keep,
        also=also,
        shortlist=max(neighbours.SHORTLIST, 2 * keep),
    )
    return [_candidates(columns, similarities, n) for n in range(len(rows))]


def _lists_it_may_join(corpus, row):
    near = _nearest(corpus, [row], MAX_AFFECTED + 1)[0]
    corpus.density[row] = density_of(row, strongest(near))
    cols, sims = near.indices, near.data
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


@one_blas_thread
def recompute(corpus, article_ids):
    """Recompute and store the lists of the given live articles."""
    if not article_ids:
        return
    choices = editor_choices(article_ids)
    rows = [corpus.row_of[pk] for pk in article_ids]
    # Their densities first (they may be each other's candidates); the other
    # articles' densities move a little with each publish and are measured
    # again by their own refreshes and by rebuilds.
    candidates = _nearest(corpus, rows)
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
