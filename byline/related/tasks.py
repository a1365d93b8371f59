"""Background work of the related app, run by django-tasks (a worker in production)."""

from django_tasks import task

from byline.related import store


@task()
def refresh_related(article_id, containing=()):
    store.refresh(article_id, containing=list(containing))


@task()
def rebuild_related():
    store.rebuild()
