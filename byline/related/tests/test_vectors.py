"""The text model: learnt from a stream of articles, as TfidfVectorizer learns it."""

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from byline.related import vectors
from byline.related.tests.test_engine import FOOTBALL, RUSSIA, WORDS, doc


@pytest.fixture
def articles():
    subjects = [RUSSIA, FOOTBALL]
    return [
        doc(n, f"Story {n}", f"{subjects[n % 2]} {WORDS[n % 5]} word{n % 37}")
        for n in range(1, 261)
    ]


def test_the_text_model_is_learnt_from_a_stream_read_once(articles):
    """`fit` reads the articles once, one at a time, and learns the vocabulary
    and weights TfidfVectorizer.fit learns holding them all."""
    read = []

    def stream():
        for article in articles:
            read.append(article.id)
            yield article

    vectorizer = vectors.fit(stream())
    assert read == [a.id for a in articles]
    reference = TfidfVectorizer(
        binary=True,
        stop_words="english",
        dtype=np.float32,
        min_df=2,
        max_df=vectors.MAX_DOCUMENT_FREQUENCY,
    ).fit(f"{a.title}\n{a.standfirst}\n{a.body}" for a in articles)
    terms, idf = vectors.vocabulary(vectorizer)
    assert terms == sorted(reference.vocabulary_, key=reference.vocabulary_.get)
    assert np.allclose(idf, reference.idf_**vectors.IDF_POWER, rtol=1e-6)
