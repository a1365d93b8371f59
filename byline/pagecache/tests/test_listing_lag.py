"""A comment storm does not empty the cache: an approved comment changes its
article's page at once, while listings (which show only a count) are refreshed
once per PAGE_CACHE_LISTING_SECONDS by the task worker (invalidation.comments)."""

import time

import pytest
from django.core.management import call_command

from byline.pagecache.tests.test_page_cache import get, kept


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Tasks wait in the database for the worker, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; inside a test's
    # transaction that would be the test's own connection (PostgreSQL).
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    yield
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


def _worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def _refreshes(results):
    return results.objects.filter(task_path__endswith=".refresh_listings")


def _comment(article, text):
    from byline.comments import posting
    from byline.comments.models import Comment

    comment = Comment.objects.create(
        article=article,
        depth=1,
        name="Cleo",
        email="cleo@example.org",
        text=text,
        status=Comment.Status.APPROVED,
    )
    posting.announce_new(comment)  # as posting.submit does after writing it
    return comment


def test_a_comment_changes_its_article_at_once_and_listings_after_the_lag(
    client,
    published_article,
    database_tasks,
    settings,
    django_capture_on_commit_callbacks,
):
    from django_tasks_db.models import DBTaskResult

    settings.PAGE_CACHE_LISTING_SECONDS = 2
    section = published_article.get_parent()
    listings = ["/", section.url, "/tags/russia/", "/authors/ada-reporter/"]
    for url in [published_article.url, *listings]:
        kept(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        _comment(published_article, "Worth reading twice.")
    article = get(client, published_article.url)
    assert article["X-Page-Cache"] == "miss"
    assert "Worth reading twice." in article.content.decode()
    # A storm: more comments in the same window schedule no more refreshes.
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _comment(published_article, f"Me too, {n}.")
    assert _refreshes(DBTaskResult).count() == 1

    for url in listings:
        kept_page = get(client, url)
        assert kept_page["X-Page-Cache"] == "hit", url
        assert "4 comments" not in kept_page.content.decode(), url
    _worker()  # too early: the refresh waits for its time
    assert get(client, "/")["X-Page-Cache"] == "hit"

    time.sleep(2.2)
    with django_capture_on_commit_callbacks(execute=True):
        _worker()
    for url in listings:
        fresh = get(client, url)
        assert fresh["X-Page-Cache"] == "miss", url
        assert "4 comments" in fresh.content.decode(), url

    # The next comment after the refresh schedules a refresh of its own.
    with django_capture_on_commit_callbacks(execute=True):
        _comment(published_article, "A later thought.")
    assert _refreshes(DBTaskResult).filter(status="READY").count() == 1


def test_without_a_worker_listings_change_at_once(client, published_article):
    """The in-request task backend (development) has no one to wait: exact."""
    kept(client, "/")
    _comment(published_article, "Worth reading twice.")
    assert "1 comment" in get(client, "/").content.decode()
