"""Queue a task so that it runs if, and only if, the current transaction commits.

With the database task backend (production: django_tasks_db and `run_worker`)
the task's row is written at once, inside the transaction: it commits with the
change that called for it, or rolls back with it. Enqueued from an on-commit
callback instead, a process killed between its commit and its callbacks lost
the task: bench/cluster.py SIGKILLs a node in a comment storm, and a comment
committed in that instant was stored but never mailed to its subscribers.
The worker cannot see the row before the commit, so it never runs early.

Other backends are called once the transaction has committed: the immediate
backend runs the task there and then, and must not act on rows that may still
roll back (mail for a comment that was never saved).
"""

from django.db import transaction
from django_tasks import task_backends


def stored_with_the_data(task):
    """Return whether the task's backend keeps its queue in the site's database."""
    backend = task_backends[task.backend]
    return type(backend).__module__.startswith("django_tasks_db")


def enqueue_on_commit(task, *args):
    """Have `task(*args)` run once the current transaction commits, never if it
    rolls back, and never lost to a crash between the two (see the module)."""
    if stored_with_the_data(task):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args), robust=True)
