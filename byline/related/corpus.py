"""The corpus the related lists are chosen from: load it, vectorise articles.

`load_documents()` reads live, public articles as plain `vectors.Document`s;
`corpus_from_vectors()` builds the `engine.Corpus` of every live article from the
stored vectors (nothing relearned, no bodies read: tests compare lists with it,
and an archive rebuilt before term postings were stored makes them from it once);
`vectorise()` computes and stores the vectors of a few articles with the current
vocabulary.

numpy, scipy and scikit-learn are imported here: only the task worker imports
this module (`tasks.py`), never a web worker.
"""

import gc
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
from django.conf import settings
from django.db import connection

from byline.core.text import html_to_text
from byline.news.models import ArticleAuthor, ArticleTag, SectionPage
from byline.news.public import public_articles
from byline.related import semantic, vectors
from byline.related.engine import Corpus
from byline.related.models import ArticleVector


def relearns_in_full():
    """Whether a change relearns the text model in full: below
    RELATED_FULL_REBUILD_BELOW live articles a rebuild is cheap and keeps term
    weights fresh."""
    below = settings.RELATED_FULL_REBUILD_BELOW
    # Counting at most `below` rows: a count of a million articles is not free.
    return public_articles().order_by()[:below].count() < below


def load_documents(with_body=True, ids=None):
    """Return Documents of live, public articles (or of `ids` among them), by id."""
    articles = public_articles()
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
    return dict(SectionPage.objects.values_list("id", "title"))


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
        for pk, (vector, embedding) in vectorise(vectorizer, missing).items():
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


def vectorise(vectorizer, ids):
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
