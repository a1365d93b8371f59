"""Purges jump the task queue (byline/pagecache/purge.py)."""

import pytest

from byline.pagecache.purge import purge_urls
from byline.pagecache.tasks import refresh_listings


@pytest.mark.django_db
def test_a_purge_is_taken_before_work_queued_earlier(settings):
    """A worker busy with mail or related lists purges the proxy first."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": "http://127.0.0.1:9",
        }
    }
    refresh_listings.enqueue([1])
    purge_urls(["http://news.example.org/world/"])
    taken = [row.task_path for row in DBTaskResult.objects.ready()]
    assert taken == [
        "wagtail.contrib.frontend_cache.tasks.purge_urls_from_cache_task",
        "byline.pagecache.tasks.refresh_listings",
    ]
