"""Choose every article's related list, explain it and store it.

`rebuild()` relearns the text model from every live, public article, recomputes
every list and stores the vectors and the term index that `refreshing.py`
follows one publish, edit or unpublish with, without relearning the vocabulary.
Each list is chosen and explained by `engine.Corpus.choose` (reasons from
`reasons.py`); the corpus comes from `corpus.py`; a change to the lists shown is
announced with `signals.lists_changed`.
"""

import logging

import numpy as np
from django.db import connection, transaction
from threadpoolctl import threadpool_limits
from wagtail.images import get_image_model

from byline.news.models import ArticlePage
from byline.related import neighbours, postings, semantic, vectors
from byline.related.corpus import load_documents, section_titles
from byline.related.engine import KEEP, Candidates, Corpus, density_of
from byline.related.models import (
    ArticleVector,
    EditorChoice,
    RelatedLink,
    TermPostings,
    TextModel,
)
from byline.related.reasontexts import ReasonTexts
from byline.related.signals import lists_changed

logger = logging.getLogger(__name__)
THUMBNAIL = "fill-480x270"
CHUNK = 500
# Articles whose texts a rebuild holds at a time.
BLOCK = 2000
# Vectors a rebuild writes (and holds as model instances) at a time.
WRITE_BATCH = 2000
# Lists one refresh recomputes at most (`refreshing.py`).
MAX_AFFECTED = 200
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
        postings.store(corpus.index.by_term, corpus.ids)
        RelatedLink.objects.all().delete()
        choices = editor_choices()
        for start in range(0, len(corpus), CHUNK):
            rows = range(start, min(start + CHUNK, len(corpus)))
            write_lists(_lists_of(corpus, rows, nearest, closeness, choices))
            if progress:
                progress(len(rows), "lists")
        lists_changed.send(sender=RelatedLink, article_ids=None)
    analyze(ArticleVector, TermPostings, RelatedLink)
    corpus.reason_texts = {}
    texts.close()
    return len(documents)


def analyze(*models):
    """On PostgreSQL, take the statistics of tables the rebuild wrote whole, as
    autovacuum would in time (it may be off, or behind). Planned from the
    statistics of the tables before, one publish's refresh read all 4,000,000
    links of a million articles three times (1.65 s); 0.05 s after."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


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
