"""Serve a reader's first pages in-process, before gunicorn forks its workers.

A first request fills lazy caches all over the frameworks (compiled templates,
URL reversing, model metadata, Wagtail's site table) that every later request
reuses. Filled in gunicorn's master (deploy/gunicorn.conf.py), they are loaded
once and shared with every worker, instead of being built again in each one's
private memory (README, "Memory at rest"). Only GETs a reader could make: the
home page, the newest article and its section. A failure is logged and the
server starts anyway.
"""

import io
import logging
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

from django.conf import settings

from byline.news.public import public_articles

logger = logging.getLogger(__name__)


def reader_paths():
    """The home page, the newest public article and its section."""
    paths = ["/"]
    article = public_articles().order_by("-first_published_at").first()
    if article is not None:
        paths.append(article.get_url())
        if article.section is not None:
            paths.append(article.section.get_url())
    return [path for path in paths if path and path.startswith("/")]


def warm(application):
    """GET each of `reader_paths()` through the WSGI application; return the
    status lines."""
    site = urlsplit(settings.SITE_URL)
    statuses = []
    try:
        paths = reader_paths()
    except Exception:
        logger.exception("Warm-up: could not find the pages to warm")
        return statuses
    for path in paths:
        environ = {
            "PATH_INFO": path,
            "HTTP_HOST": site.netloc,
            "wsgi.url_scheme": site.scheme,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.errors": io.StringIO(),
        }
        setup_testing_defaults(environ)
        got = []
        try:
            body = application(
                environ, lambda status, *rest, got=got: got.append(status)
            )
            try:
                for _ in body:
                    pass
            finally:
                getattr(body, "close", lambda: None)()
        except Exception:
            logger.exception("Warm-up: GET %s failed", path)
            continue
        statuses.append(got[0] if got else "no response")
    return statuses
