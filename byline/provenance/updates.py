"""An article's "Updated" time follows the correction and update notes it publishes.

Editors used to type it by hand. Now publishing a revision that carries a new
note sets it to the moment that revision is signed, the moment the note is dated
by, and a later publication (of a draft saved before the note went out, say)
never carries it back to an earlier time.
"""

from django.core.serializers.json import DjangoJSONEncoder

from byline.provenance.models import PublishedCorrection


def stamp_updated(article, revision_id, notes, now):
    """Set `article.updated_at` before its publication is signed (so the record
    says it too): `now` when `notes` are new, else no earlier than the article's
    latest published note. Return the time set, or None if it was right already."""
    if notes:
        updated = now
    else:
        latest = (
            PublishedCorrection.objects.filter(page_id=article.pk)
            .order_by("-signed_at")
            .values_list("signed_at", flat=True)
            .first()
        )
        if latest is None or (article.updated_at and article.updated_at >= latest):
            return None
        updated = latest
    article.updated_at = updated
    type(article).objects.filter(pk=article.pk).update(updated_at=updated)
    _carry_into_revision(article, revision_id, updated)
    return updated


def _carry_into_revision(article, revision_id, updated):
    # The editor's form opens on the latest revision: it shows the new time, and
    # the next publication from it keeps it.
    if revision_id is None:
        return
    revision = article.revisions.filter(pk=revision_id).first()
    if revision is None:
        return
    revision.content["updated_at"] = DjangoJSONEncoder().default(updated)
    type(revision).objects.filter(pk=revision.pk).update(content=revision.content)
