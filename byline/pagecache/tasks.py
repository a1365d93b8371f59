"""The coalesced refresh of listings after comments (invalidation.comments)."""

from django_tasks import task

from byline.pagecache import invalidation


@task()
def refresh_listings(article_ids):
    invalidation.refresh_due_listings(article_ids)
