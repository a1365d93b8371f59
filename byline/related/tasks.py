"""Background work of the related app, run by django-tasks (a worker in production).

`lists` and `refreshing` (numpy, scipy, scikit-learn) are imported by the task,
not by this module: web workers import it to enqueue, and must not carry the text
model's libraries.
"""

from django_tasks import task


@task()
def refresh_related(article_id, containing=(), terms=()):
    from byline.related import refreshing  # noqa: PLC0415 (numpy, scipy: see above)

    refreshing.refresh(article_id, containing=list(containing), terms=list(terms))


@task()
def rebuild_related():
    from byline.related import lists  # noqa: PLC0415 (numpy, scipy: see above)

    lists.rebuild()
