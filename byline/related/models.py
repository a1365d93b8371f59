"""Precomputed "You may also like" lists, the editors' pins and blocks, and the
text model the lists are computed from.

numpy is imported where a vector is packed or unpacked, never at import: web
workers load these models to show lists, and only the task worker computes them
(README, "Memory").
"""

import struct
import zlib

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class RelatedLink(models.Model):
    """One entry of an article's related list; an article page reads its list in
    one query (see `byline.related.showing`)."""

    class Why(models.TextChoices):
        PINNED = "pinned", "Pinned by an editor"
        TEXT = "text", "Similar text"
        SECTION = "section", "Same section"
        LATEST = "latest", "Latest"

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0.0)
    why = models.CharField(max_length=10, choices=Why.choices)
    reason = models.CharField(max_length=120)
    # The card image, resolved when the list is computed so that showing it
    # needs no query per card.
    thumbnail = models.ForeignKey(
        "wagtailimages.Rendition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "rank"], name="related_link_rank_unique"
            )
        ]
        indexes = [models.Index(fields=["related"], name="related_link_target")]

    def __str__(self):
        return f"{self.article_id} → {self.related_id} (#{self.rank})"


class EditorChoice(Orderable):
    """An editor's pin (shown first, in this order) or block (never shown)."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pin: always show"
        BLOCK = "block", "Block: never show"

    page = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_choices"
    )
    target = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="article",
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.PIN)

    panels = [FieldPanel("target"), FieldPanel("kind")]

    class Meta(Orderable.Meta):
        verbose_name = "related article choice"


class TextModel(models.Model):
    """The vocabulary and term weights of the last full rebuild (one row)."""

    built_at = models.DateTimeField(auto_now=True)
    documents = models.PositiveIntegerField()
    data = models.BinaryField()

    def __str__(self):
        return (
            f"Text model of {self.documents} articles ({self.built_at:%Y-%m-%d %H:%M})"
        )

    def save_vocabulary(self, terms, idf):
        payload = "\n".join(terms).encode() + b"\0" + idf.astype("<f4").tobytes()
        self.data = zlib.compress(payload, 1)

    def load_vocabulary(self):
        import numpy as np  # noqa: PLC0415 (web workers load no numpy: test_serving)

        payload = zlib.decompress(bytes(self.data))
        words, _, weights = payload.partition(b"\0")
        terms = words.decode().split("\n") if words else []
        return terms, np.frombuffer(weights, dtype="<f4")


class ArticleVector(models.Model):
    """An article's weighted terms under the current text model."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    data = models.BinaryField()
    # Semantic mode only (off by default): the sentence embedding, float16.
    embedding = models.BinaryField(null=True, blank=True)
    # Mean text similarity to the article's nearest neighbours (engine.density_of).
    density = models.FloatField(default=0.0)

    def __str__(self):
        return f"Vector of article {self.article_id}"

    @staticmethod
    def pack(indices, weights):
        import numpy as np  # noqa: PLC0415 (web workers load no numpy: test_serving)

        return (
            np.asarray(indices, dtype="<i4").tobytes()
            + np.asarray(weights, dtype="<f4").tobytes()
        )

    @staticmethod
    def term_ids(data):
        """The term indices of a packed vector, without numpy (a web worker's
        delete reads them: `receivers.article_deleted`)."""
        data = bytes(data)
        count = len(data) // 8
        return list(struct.unpack(f"<{count}i", data[: 4 * count]))

    @staticmethod
    def unpack(data):
        import numpy as np  # noqa: PLC0415 (web workers load no numpy: test_serving)

        data = bytes(data)
        half = len(data) // 2
        return (
            np.frombuffer(data[:half], dtype="<i4"),
            np.frombuffer(data[half:], dtype="<f4"),
        )


class TermPostings(models.Model):
    """One term's entry of the stored capped index (`postings.py`): the articles
    that weigh the term most, so that a refresh finds an article's candidates
    without loading the archive's vectors."""

    term = models.PositiveIntegerField(primary_key=True)
    # Little-endian int32 article ids, then as many float32 weights, heaviest
    # first (ArticleVector.pack's layout).
    data = models.BinaryField()

    def __str__(self):
        return f"Postings of term {self.term}"
