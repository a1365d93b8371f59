"""Django runs on a few threads of its own; the server's threads stay free for
kept pages.

Since 2026-12-06 `make run` serves through an event loop that answers kept
pages itself (pagecache/asgi.py); the "server threads" below are then the
threads it hands everything else to (THREADS), and this module still decides
which of them run Django. What follows is how it came to be, with gthread.

gunicorn's gthread worker hands each request to one pool of threads, first
come first served. A kept page costs a fraction of a millisecond; a comment
posted during a storm holds its thread for as long as SQLite's one writer keeps
it waiting. With the pool the size of the work a core can do at once (two
threads), twenty commenters held every thread, and readers of kept pages queued
behind them: p99 694 ms in `bench/spike.py`. A bigger pool let every request
into Django at once, and they shared the interpreter's lock: the uncached
article's p99 rose by half.

So the two are kept apart. The server runs many threads (THREADS), which read
requests, answer kept pages (`pagecache.wsgi`) and write responses; everything
that goes into Django is done by RENDER_THREADS threads of the process (one on
SQLite, two on PostgreSQL: settings.py says why), in the order it arrived. Only
those threads touch the database, so a process holds at most RENDER_THREADS
connections.

Kept pages are looked up by the server threads themselves, KEPT_PAGE_THREADS
at a time. Django makes a cache backend per thread, so without Redis each
server thread that has looked a page up holds a SQLite connection per shard
of the page cache (8): THREADS is 32, not more, for that reason (a review
counted 500 open files a worker at 64). Handing look-ups to two threads of
their own bounded that, but halved the rate of kept pages (the hand-over
between threads: (a) 3,320 against 6,346 pages/s), and was not kept.

Not done yet (a review's findings, in the closing note of 2026-12-06): the
queue of requests waiting for a render thread has no bound but the number of
server threads, and a request whose client has gone is still rendered; a
request's body is read by the render thread from the socket (nginx as deployed
buffers it first); a streamed answer that reads the database (the admin's CSV
exports) does so on the server's thread, with a connection of its own.

A response is finished on the render thread (its content joined, `close()`
called, which sends `request_finished`), so what Django does at the end of a
request happens on the thread that served it. A streamed response is handed
back as it is and streamed by the server's thread, as before.
"""

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpResponseBase

_pool = {"pid": None, "executor": None, "kept": None}
_lock = threading.Lock()
_here = threading.local()
logger = logging.getLogger(__name__)


def _on_render_thread():
    _here.rendering = True


def _executor():
    # Made in the process that uses it: gunicorn's master loads and warms the
    # application, then forks, and a forked pool has no threads.
    pid = os.getpid()
    if _pool["pid"] != pid:
        with _lock:
            if _pool["pid"] != pid:
                _pool["executor"] = ThreadPoolExecutor(
                    max_workers=settings.RENDER_THREADS,
                    thread_name_prefix="render",
                    initializer=_on_render_thread,
                )
                _pool["kept"] = threading.Semaphore(settings.KEPT_PAGE_THREADS)
                _pool["pid"] = pid
    return _pool["executor"]


@contextmanager
def kept_pages(environ):
    """Held while a request looks for, and answers with, a kept page.

    Only KEPT_PAGE_THREADS server threads of a process do that at once; the
    others wait here without wanting the interpreter's lock. Every thread that
    runs Python code takes turns at that lock, and a render thread that holds
    SQLite's write lock for a comment waited its turn behind a dozen threads
    answering kept pages, while every other writer waited for it (the spike's
    posts slowed to seconds, and some gave up: 503).
    """
    if not threaded(environ):
        yield
        return
    _executor()
    with _pool["kept"]:
        yield


def _finished(application, environ, start_response):
    response = application(environ, start_response)
    # A file (handed over as the server's file wrapper) or a stream is left to
    # the server's thread: joining it would hold it whole in memory.
    if not isinstance(response, HttpResponseBase) or response.streaming:
        return response
    try:
        body = b"".join(response)
    finally:
        try:
            response.close()
        except Exception:
            # The answer is whole (a comment may be saved): a failing
            # request_finished receiver must not turn it into an error.
            logger.exception("Closing an answer failed")
    return [body]


def threaded(environ):
    """Whether the server serves this request on one of several threads (WSGI's
    `wsgi.multithread`): only then are there threads to keep free. A server of
    one thread a process, or gunicorn's master warming the application before
    it forks (news/warmup.py), runs Django on its own thread as before."""
    return bool(environ.get("wsgi.multithread")) and not getattr(
        _here, "rendering", False
    )


def render(application, environ, start_response):
    """Run `application` on a render thread and return its finished answer."""
    if not threaded(environ):
        return application(environ, start_response)
    future = _executor().submit(_finished, application, environ, start_response)
    return future.result()


def _logged(future):
    if future.exception() is not None:
        logger.error("A background render failed", exc_info=future.exception())


def in_background(function, *args):
    """Run `function(*args)` on a render thread, after what is already waiting,
    without anyone waiting for it (its failure is logged)."""
    _executor().submit(function, *args).add_done_callback(_logged)
