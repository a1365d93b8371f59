"""gunicorn's settings for Byline: `make run` and production serve with them.

    THREADS=32 gunicorn -c deploy/gunicorn.conf.py --workers 2

Memory at rest is the budget here (README, "Memory at rest"). The master loads
the application once (`preload_app`) and warms what every request needs (a
reader's first pages, served in-process, and every reader template compiled);
each worker is then a fork that
shares those pages with the master until it writes to them. `gc.freeze()` before
each fork keeps the collector from touching, and so copying, every object the
master loaded. A few processes then serve what many single-threaded processes
did, for one copy of the private memory per process: each is an event loop
(uvicorn's worker) that answers kept pages itself and hands everything else to
THREADS threads, Django running on RENDER_THREADS of them
(byline/pagecache/asgi.py says why).

With `SCHEDULER_IN_WEB=1` the master also forks the scheduler's loop
(`byline.news.scheduler`) once the code is loaded and warm, so scheduled
publishing needs no process of its own loading Django and Wagtail again; the
loop forks each minute's round in turn, and so keeps nothing between rounds.
Workers are given on the command line (the Makefile's `WORKERS`), threads in
the environment (`THREADS`, read by settings.py).

Each worker listens on a TCP socket of its own (`reuse_port`, SO_REUSEPORT), and
the kernel spreads new connections over them. With the one socket the master
would otherwise share, whichever worker woke first took the connection, and a
keep-alive connection stays with the worker that took it: a client's 32
connections were seen landing 32/0 and 27/5 on two workers, one worker queueing
while the other idled. `on_starting` keeps the one shared socket where separate
ones cannot work (a unix socket, port 0, sockets handed over by systemd or a
re-exec), and refuses a port another server already listens on, which
SO_REUSEPORT would otherwise quietly share with it.
"""

import errno
import gc
import logging
import os
import signal
import socket
import time

wsgi_app = "byline.asgi"
preload_app = True
worker_class = "byline.pagecache.worker.EventLoopWorker"
# gunicorn's control socket runs an asyncio thread in the master, which forks.
control_socket_disable = True
reuse_port = True

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


def on_starting(server):
    """One listening socket per worker where that can work (module docstring)."""
    if not server.cfg.reuse_port:
        return
    inherited = "GUNICORN_FD" in os.environ or "LISTEN_FDS" in os.environ
    addresses = server.cfg.address
    if inherited or not all(_own_tcp_port(address) for address in addresses):
        server.cfg.set("reuse_port", False)
        server.log.info("One listening socket shared by the workers")
        return
    for address in addresses:
        _refuse_if_taken(address)


def _own_tcp_port(address):
    """A TCP address with a fixed port (a unix socket's address is a path)."""
    return isinstance(address, tuple) and address[1] != 0


def _refuse_if_taken(address):
    """Stop if another server listens on `address` (SO_REUSEPORT would share it)."""
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: a previous run's connections in TIME_WAIT are no
        # obstacle; a socket listening on the port still is.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
            host, port = address[:2]
            raise SystemExit(
                f"{host}:{port} is already in use: another server listens there"
            ) from None


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
    """Stop the scheduler; it lets a round under way finish (to the graceful
    timeout), so that no round outlives the server."""
    pid = _scheduler["pid"]
    if not pid:
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + server.cfg.graceful_timeout
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                server.log.warning("The scheduler's round did not finish; killed")
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return
            time.sleep(0.1)
    except ChildProcessError:
        pass  # already reaped by the master's SIGCHLD handler
