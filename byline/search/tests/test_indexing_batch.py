"""Indexing a batch (an import's 500 articles) sorts public from private
pages with the view restrictions read once, not once a page."""

from wagtail.models import PageViewRestriction

from byline.core import privacy
from byline.search import indexing
from byline.search.engine import search_articles


def test_a_batch_reads_the_restrictions_once_and_keeps_private_pages_out(
    make_article, monkeypatch
):
    shown = [make_article(title=f"Harbour levy vote {n}") for n in range(4)]
    restricted = make_article(title="Harbour levy draft for members")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    draft = make_article(title="Harbour levy unpublished", publish=False)

    reads = []
    real = privacy.restricted_paths

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr(privacy, "restricted_paths", counted)
    indexing.index_articles([*shown, restricted, draft])

    assert len(reads) == 1
    # What the index itself holds: the restricted page, indexed when it was
    # published, is taken out; the draft never gets in.
    found = set(search_articles("harbour").ranked_ids(limit=20))
    assert found == {a.pk for a in shown}
