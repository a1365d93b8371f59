"""Tasks queued with a change commit with it, or roll back with it
(byline/core/queueing.py)."""

import pytest
from django.db import transaction

from byline.core.queueing import enqueue_on_commit
from byline.pagecache.tasks import refresh_listings


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.values_list("args_kwargs", flat=True))


@pytest.mark.django_db
def test_a_database_queued_task_is_written_in_the_transaction(database_tasks):
    """The task's row exists before any on-commit callback has run: a crash
    between the commit and the callbacks cannot lose it."""
    with transaction.atomic():
        enqueue_on_commit(refresh_listings, [7])
    assert queued() == [{"args": [[7]], "kwargs": {}}]


@pytest.mark.django_db
def test_a_database_queued_task_rolls_back_with_its_change(database_tasks):
    """A change rolled back takes its task with it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(refresh_listings, [7])
        raise RuntimeError("the change failed")
    assert queued() == []


@pytest.mark.django_db
def test_an_immediate_task_waits_for_the_commit(django_capture_on_commit_callbacks):
    """The immediate backend runs a task at once: it is only called on commit."""
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue_on_commit(refresh_listings, [7])
    assert len(callbacks) == 1
