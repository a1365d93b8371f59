"""The scheduler's round: publish what is due, tell moderators, send digests.

`manage.py run_scheduler` runs it every minute in a process of its own. Served
by gunicorn with `SCHEDULER_IN_WEB=1` (what `make run` does), the server's
master forks it once the application is loaded (`deploy/gunicorn.conf.py`), so
it shares the loaded code with the web workers instead of loading its own copy
(README, "Memory at rest").
"""

import logging
import os
import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def run_once():
    """Run one round of every scheduled job."""
    call_command("publish_scheduled", verbosity=0)
    # Held comments are told of at once; those held after a moderator's
    # mail of the window wait for the next window, found here.
    call_command("alert_moderators", verbosity=0)
    if timezone.localtime().hour >= settings.NEWSLETTER_SEND_HOUR:
        # Idempotent: after the first run of the day it finds nothing to send.
        call_command("send_digests", verbosity=0)


def run_in_child():
    """Run one round in a forked child and wait for it to end.

    What the round loads and allocates leaves with the child, so the waiting
    process stays the size it was forked at; a failed round is logged, and
    the next one tries again.
    """
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        code = 0
        try:
            run_once()
        except Exception:
            logger.exception("A scheduled round failed; the next one retries.")
            code = 1
        finally:
            connections.close_all()
            os._exit(code)
    os.waitpid(pid, 0)


def run(interval=60, runs=0, parent=None):
    """Run a round every `interval` seconds, `runs` times (0: until stopped).

    With `parent` (the server this loop was forked from), each round runs in a
    child of its own, and the loop stops as soon as the parent is gone, or
    when told to stop (SIGTERM): a round under way finishes first, so that
    nothing of the server outlives it.
    """
    stopping = []
    if parent is not None:
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    done = 0
    while not stopping:
        if parent is None:
            run_once()
        else:
            run_in_child()
        done += 1
        if runs and done >= runs:
            return
        waited = 0.0
        while waited < interval and not stopping:
            if parent is not None and os.getppid() != parent:
                return
            time.sleep(min(1.0, interval - waited))
            waited += 1.0
