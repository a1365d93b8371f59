"""What a rebuild holds at once: one block of vectors and one batch of rows, not
the archive's (issue 21, "A million articles"; bench/README.md)."""

import gc
import weakref

import numpy as np
import pytest
import scipy.sparse as sp

from byline.related import corpus, lists, vectors
from byline.related.models import ArticleVector
from byline.related.tests.test_lists import OIL, SPORT, related_links_of


def random_blocks(seed=7, width=50):
    """CSR blocks of random sizes, with empty blocks and rows without terms."""
    rng = np.random.default_rng(seed)
    blocks = []
    for rows in (3, 0, 1, 5, 2, 4):
        dense = rng.random((rows, width), dtype=np.float32)
        dense[dense < 0.8] = 0
        if rows > 1:
            dense[1] = 0  # a row without any term
        blocks.append(sp.csr_matrix(dense))
    return blocks


def test_stacked_blocks_equal_scipys_vstack():
    blocks = random_blocks()
    made = vectors.stacked(iter(blocks), 50)
    expected = sp.vstack(blocks, format="csr", dtype=np.float32)
    assert made.shape == expected.shape
    assert made.dtype == np.float32
    assert np.array_equal(made.indptr, expected.indptr)
    assert np.array_equal(made.indices, expected.indices)
    assert np.array_equal(made.data, expected.data)


def test_stacking_no_blocks_gives_an_empty_matrix():
    made = vectors.stacked(iter([]), 12)
    assert made.shape == (0, 12)
    assert made.nnz == 0


def test_stacking_holds_one_block_at_a_time():
    """A block is let go before the next is asked for: the archive's vectors are
    held once (the result), not twice (every block and the result)."""
    alive = []

    def blocks():
        made = random_blocks()
        while made:
            block = made.pop(0)
            gc.collect()
            assert not [r for r in alive if r() is not None]
            alive.append(weakref.ref(block.data))
            yield block
            del block

    vectors.stacked(blocks(), 50)


@pytest.fixture
def newsroom(make_article, other_section):
    for n, words in enumerate(["refinery rouble", "flags fans", "diesel board"]):
        make_article(f"Oil {n}", body=OIL.format(words))
    for n, words in enumerate(["trophy fans", "chairman board"]):
        make_article(f"Cup {n}", body=SPORT.format(words), parent=other_section)


def test_a_rebuild_holds_one_block_of_vectors_at_a_time(newsroom, monkeypatch):
    monkeypatch.setattr(lists, "BLOCK", 2)
    transform = vectors.transform
    made = []

    def transform_one_block(vectorizer, documents):
        documents = list(documents)
        gc.collect()
        held = [r for r in made if r() is not None]
        assert not held, "an earlier block of vectors is still held"
        matrix = transform(vectorizer, documents)
        if documents:  # rebuild's first, empty call is its column count
            made.append(weakref.ref(matrix.data))
        return matrix

    monkeypatch.setattr(vectors, "transform", transform_one_block)
    lists.rebuild()
    assert len(made) == 3  # five articles, two at a time


def test_a_rebuild_writes_vectors_a_batch_at_a_time(newsroom, monkeypatch):
    """At most WRITE_BATCH model instances (each with a packed copy of its
    vector) exist at once: bulk_create lists what it is given."""
    monkeypatch.setattr(lists, "WRITE_BATCH", 2, raising=False)
    manager = ArticleVector.objects
    create = manager.bulk_create
    batches = []

    def bulk_create(objs, *args, **kwargs):
        objs = list(objs)
        batches.append(len(objs))
        return create(objs, *args, **kwargs)

    monkeypatch.setattr(manager, "bulk_create", bulk_create)
    lists.rebuild()
    assert batches == [2, 2, 1]
    assert ArticleVector.objects.count() == 5


def test_small_batches_give_the_lists_of_one_batch(newsroom, monkeypatch):
    lists.rebuild()
    whole = {
        pk: list(related_links_of(pk).values_list("related_id", "reason"))
        for pk in ArticleVector.objects.values_list("article_id", flat=True)
    }
    stored = dict(ArticleVector.objects.values_list("article_id", "data"))
    monkeypatch.setattr(lists, "BLOCK", 2)
    monkeypatch.setattr(lists, "WRITE_BATCH", 2, raising=False)
    lists.rebuild()
    assert whole == {
        pk: list(related_links_of(pk).values_list("related_id", "reason"))
        for pk in whole
    }
    assert stored == {
        pk: bytes(data)
        for pk, data in ArticleVector.objects.values_list("article_id", "data")
    }


def test_articles_without_tags_share_one_empty_set(newsroom):
    """An untagged article's metadata holds no empty set or mapping of its own
    (216 and 64 bytes an article: half of what a rebuild held per article)."""
    documents = list(corpus.load_documents(with_body=False).values())
    assert len(documents) == 5
    assert len({id(d.tags) for d in documents}) == 1
    assert len({id(d.tag_names) for d in documents}) == 1
    assert not documents[0].tags and not documents[0].tag_names


def test_the_index_cuts_its_edge_entries_as_they_come(monkeypatch):
    """With a small edge buffer the index is cut to what can fill each list
    several times while it is built, never holding more than the buffer and
    one step beyond what fills the lists, and is the same index."""
    from byline.related import neighbours
    from byline.related.tests.test_neighbours import random_matrix

    matrix = random_matrix()
    # Ties on purpose: each row twice, so edge bins fill with equal weights.
    matrix = sp.vstack([matrix, matrix], format="csr")
    whole = neighbours.capped_index(matrix, postings=9)
    monkeypatch.setattr(neighbours, "INDEX_STEP", 50)
    monkeypatch.setattr(neighbours, "EDGE_BUFFER", 30, raising=False)
    best = neighbours._best_on_edge
    held = []

    def best_on_edge(edge, slot, room):
        held.append(sum(len(part[0]) for part in edge))
        return best(edge, slot, room)

    monkeypatch.setattr(neighbours, "_best_on_edge", best_on_edge)
    cut = neighbours.capped_index(matrix, postings=9)
    assert (whole != cut).nnz == 0
    assert len(held) > 2
    per_step = 50 * max(np.diff(matrix.indptr))
    lists = 9 * matrix.shape[1]
    assert max(held) <= 30 + per_step + lists


def test_the_index_counts_its_terms_a_step_at_a_time(monkeypatch):
    """No whole-matrix bincount (it copies every entry's term to 64 bits first:
    1 GB at a million articles): counts come a step of entries at a time."""
    from byline.related import neighbours
    from byline.related.tests.test_neighbours import random_matrix

    matrix = random_matrix()
    whole = neighbours.capped_index(matrix, postings=9)
    monkeypatch.setattr(neighbours, "INDEX_STEP", 50)
    bincount = np.bincount
    sizes = []

    def counting(values, *args, **kwargs):
        sizes.append(len(values))
        return bincount(values, *args, **kwargs)

    monkeypatch.setattr(np, "bincount", counting)
    stepped = neighbours.capped_index(matrix, postings=9)
    assert (whole != stepped).nnz == 0
    assert sizes and max(sizes) <= 50 < matrix.nnz
