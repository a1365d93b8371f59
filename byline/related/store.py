"""Compute related lists from the database and store them.

`rebuild()` relearns the text model from every live, public article and
recomputes every list. `refresh(article_id)` follows one publish, edit or
unpublish: it recomputes that article's list and the lists it may now belong to
(or must leave), from the stored vectors, without relearning the vocabulary.
"""

import gc
import logging
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.dispatch import Signal
from wagtail.images import get_image_model

from byline.core.privacy import public
from byline.core.text import html_to_text
from byline.related import semantic, vectors
from byline.related.engine import Corpus, density_of, per_article, strongest
from byline.related.models import ArticleVector, EditorChoice, RelatedLink, TextModel

logger = logging.getLogger(__name__)
# Sent with `article_ids` whose shown lists changed (None: all of them, after a
# rebuild), for caches of the pages that show them.
lists_changed = Signal()
THUMBNAIL = "fill-480x270"
# The corpus a process last used, reused by its next refresh while no other
# process has changed the vectors since (the version in the shared cache says).
VERSION_KEY = "byline:related:corpus-version"
_warm = {"version": None, "corpus": None}
CHUNK = 500
MAX_AFFECTED = 200


def full_rebuild_below():
    # Below this many articles a full rebuild is cheap and keeps term weights fresh.
    return getattr(settings, "RELATED_FULL_REBUILD_BELOW", 2000)


def live_articles():
    from byline.news.models import ArticlePage

    return public(ArticlePage.objects.live())


def load_documents(with_body=True, ids=None):
    """Return Documents of live, public articles (or of `ids` among them), by id."""
    from byline.news.models import ArticleAuthor, ArticleTag

    articles = live_articles()
    if ids is not None:
        articles = articles.filter(pk__in=ids)
    fields = ["id", "title", "standfirst", "section_id", "published_at"]
    if with_body:
        fields.append("body")
    # The queryset's own SQL through a plain cursor: a refresh in a fresh process
    # reads every live article, and Django's per-value datetime converters
    # would cost more than the query (the driver already returns datetimes).
    sql, params = articles.order_by("pk").values_list(*fields).query.sql_with_params()
    documents = {}
    with connection.cursor() as cursor, _collector_paused():
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(5000):
            for row in rows:
                pk, title, standfirst, section_id, published = row[:5]
                documents[pk] = vectors.Document(
                    id=pk,
                    title=title,
                    standfirst=standfirst or "",
                    body=html_to_text(row[5] or "") if with_body else "",
                    section_id=section_id,
                    published=_days(published),
                )
    tags = ArticleTag.objects.values_list("content_object_id", "tag_id", "tag__name")
    authors = ArticleAuthor.objects.values_list("page_id", "author_id")
    if ids is not None:
        tags = tags.filter(content_object_id__in=ids)
        authors = authors.filter(page_id__in=ids)
    tag_sets, author_sets = {}, {}
    for page_id, tag_id, name in tags.iterator(chunk_size=5000):
        if page_id in documents:
            tag_sets.setdefault(page_id, {})[tag_id] = name
    for page_id, author_id in authors.iterator(chunk_size=5000):
        if page_id in documents:
            author_sets.setdefault(page_id, set()).add(author_id)
    for page_id, names in tag_sets.items():
        documents[page_id].tags = frozenset(names)
        documents[page_id].tag_names = names
    for page_id, authors_of_page in author_sets.items():
        documents[page_id].authors = frozenset(authors_of_page)
    return documents


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while a load makes objects by the
    hundred thousand (none of them cyclic): its passes over them cost more than
    the load itself."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _days(moment):
    """Days since the epoch of a datetime as the driver returns it (naive UTC from
    SQLite, aware from PostgreSQL), or None."""
    if moment is None:
        return None
    if isinstance(moment, str):  # a driver without type detection
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp() / 86400


def section_titles():
    from byline.news.models import SectionPage

    return dict(SectionPage.objects.values_list("id", "title"))


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
    _remember(corpus)
    return len(documents)


def _remember(corpus):
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    if corpus is not None and corpus.embeddings is None:
        _warm.update(version=version, corpus=corpus)
    else:
        _warm.update(version=None, corpus=None)


def warm():
    """Load the stored corpus into this process now, so that the first refresh it
    runs does not pay for the load (`run_worker` calls this before taking tasks).
    Returns the number of articles held, 0 when a refresh would rebuild anyway."""
    model = TextModel.objects.first()
    if model is None or live_articles().count() < full_rebuild_below():
        return 0
    corpus = _warm_corpus()
    if corpus is None:
        # The version first: a change made while we load leaves ours stale, and
        # the next refresh then loads again.
        version = cache.get(VERSION_KEY)
        corpus = corpus_from_vectors(*model.load_vocabulary())
        corpus.by_term  # noqa: B018 (made now rather than on the first refresh)
        if version is None:
            _remember(corpus)
        elif corpus.embeddings is None:
            _warm.update(version=version, corpus=corpus)
    return len(corpus)


def _warm_corpus():
    if _warm["corpus"] is not None and cache.get(VERSION_KEY) == _warm["version"]:
        return _warm["corpus"]
    return None


def corpus_from_vectors(terms, idf):
    """The live corpus from stored vectors (no bodies read, nothing relearned)."""
    documents = load_documents(with_body=False)
    stored, embedded, density = {}, {}, {}
    # Every row, filtered here: an IN list of every live id costs more to build
    # than the few rows of unpublished articles cost to skip.
    for pk, data, embedding, dense in ArticleVector.objects.values_list(
        "article_id", "data", "embedding", "density"
    ).iterator(chunk_size=5000):
        if pk not in documents:
            continue
        stored[pk] = data
        density[pk] = dense
        if embedding is not None:
            embedded[pk] = semantic.unpack(embedding)
    missing = [pk for pk in documents if pk not in stored]
    if missing:
        # Live articles the model has not seen yet (published while a worker was
        # down, say): vectorise them now from their text.
        vectorizer = vectors.from_vocabulary(terms, idf)
        for pk, (vector, embedding) in _vectorise(vectorizer, missing).items():
            stored[pk] = vector
            if embedding is not None:
                embedded[pk] = semantic.unpack(embedding)
    order = sorted(documents)
    matrix = vectors.from_packed([stored[pk] for pk in order], len(terms))
    corpus = Corpus(
        [documents[pk] for pk in order],
        matrix,
        terms,
        section_titles(),
        density=[density.get(pk, 0.0) for pk in order],
    )
    if semantic.enabled() and len(embedded) == len(order):
        corpus.embeddings = np.vstack([embedded[pk] for pk in order])
        corpus.semantic_weight = semantic.weight()
    return corpus


def _vectorise(vectorizer, ids):
    """Compute, store and return {id: (packed vector, packed embedding or None)}."""
    documents = load_documents(ids=ids)
    if not documents:
        return {}
    order = sorted(documents)
    matrix = vectors.transform(vectorizer, [documents[pk] for pk in order])
    embeddings = (
        semantic.embed([documents[pk] for pk in order]) if semantic.enabled() else None
    )
    packed = {
        pk: (
            ArticleVector.pack(*vectors.row_entries(matrix, n)),
            None if embeddings is None else semantic.pack(embeddings[n]),
        )
        for n, pk in enumerate(order)
    }
    ArticleVector.objects.filter(article_id__in=order).delete()
    ArticleVector.objects.bulk_create(
        [
            ArticleVector(article_id=pk, data=data, embedding=embedding)
            for pk, (data, embedding) in packed.items()
        ]
    )
    return packed


def refresh(article_id, containing=()):
    """Follow a change to one article; `containing` lists ids of lists that showed it
    (for an article already deleted, whose links are gone)."""
    model = TextModel.objects.first()
    if model is None or live_articles().count() < full_rebuild_below():
        rebuild()
        return
    terms, idf = model.load_vocabulary()
    is_live = live_articles().filter(pk=article_id).exists()
    corpus = _warm_corpus()
    if is_live:
        packed = _vectorise(vectors.from_vocabulary(terms, idf), [article_id])
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
    _remember(corpus)
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
    from byline.news.models import ArticlePage

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


def export(path):
    """Write DESIGN.md's export: one line per article, related ids best first."""
    import json

    from byline.news.models import ArticlePage

    source_ids = dict(ArticlePage.objects.values_list("pk", "source_id"))
    lists = {}
    for article_id, related_id in RelatedLink.objects.order_by(
        "article_id", "rank"
    ).values_list("article_id", "related_id"):
        lists.setdefault(article_id, []).append(related_id)
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for article_id in sorted(lists):
            record = {
                "id": source_ids.get(article_id) or article_id,
                "related": [source_ids.get(r) or r for r in lists[article_id]],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written
