"""gunicorn's settings for Byline: `make run` and production serve with them.

    gunicorn byline.wsgi -c deploy/gunicorn.conf.py --workers 2 --threads 4

Memory at rest is the budget here (README, "Memory at rest"). The master loads
the application once (`preload_app`) and warms what every request needs (a
reader's first pages, served in-process, and every reader template compiled);
each worker is then a fork that
shares those pages with the master until it writes to them. `gc.freeze()` before
each fork keeps the collector from touching, and so copying, every object the
master loaded. A few processes of several threads each (gthread) then serve
what many single-threaded processes did, for one copy of the private memory per
process.

With `SCHEDULER_IN_WEB=1` the master also forks the scheduler's loop
(`byline.news.scheduler`) once the code is loaded and warm, so scheduled
publishing needs no process of its own loading Django and Wagtail again; the
loop forks each minute's round in turn, and so keeps nothing between rounds.
Workers and threads are given on the command line (the Makefile's `WORKERS`
and `THREADS`).
"""

import gc
import logging
import os
import signal

wsgi_app = "byline.wsgi"
preload_app = True
worker_class = "gthread"
# gunicorn's control socket runs an asyncio thread in the master, which forks.
control_socket_disable = True

logger = logging.getLogger("gunicorn.error")
_scheduler = {"pid": 0}


def _warm(server):
    """Load in the master what every worker would otherwise load for itself."""
    from django.template import engines

    from byline.news import warmup
    from byline.wsgi import application

    # A reader's first pages fill the frameworks' lazy caches (byline.news.warmup).
    server.log.info("Warm-up: %s", ", ".join(warmup.warm(application)))
    for engine in engines.all():
        environment = getattr(engine, "env", None)  # the Jinja2 backend's
        if environment is None:
            continue  # Django templates: the admin's, loaded when first used
        for name in environment.list_templates(extensions=["html", "txt", "xml"]):
            if not name.startswith(("admin/", "wagtail")):
                environment.get_template(name)


def _before_fork():
    """Leave nothing a child must not share, and freeze what it may."""
    from django.db import connections

    connections.close_all()  # a connection is never shared between processes
    gc.collect()
    gc.freeze()


def when_ready(server):
    _warm(server)
    _before_fork()
    from django.conf import settings

    if settings.SCHEDULER_IN_WEB:
        _fork_scheduler(server)


def pre_fork(server, worker):
    _before_fork()


def _fork_scheduler(server):
    master = os.getpid()
    pid = os.fork()
    if pid:
        _scheduler["pid"] = pid
        server.log.info("Scheduler forked with pid: %s", pid)
        return
    # The child: the master's signal handlers and listening sockets are not its own.
    code = 0
    try:
        for number in (*server.SIGNALS, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        for listener in server.LISTENERS:
            listener.close()
        from byline.news import scheduler

        scheduler.run(parent=master)
    except BaseException:
        logger.exception("The scheduler stopped")
        code = 1
    finally:
        os._exit(code)


def on_exit(server):
    if _scheduler["pid"]:
        try:
            os.kill(_scheduler["pid"], signal.SIGTERM)
        except ProcessLookupError:
            pass
