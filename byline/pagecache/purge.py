"""Tell proxies and CDNs in front of the site to drop pages, through Wagtail's
frontend cache module (HTTP PURGE for Varnish or nginx, Cloudflare, CloudFront).

Configured from the environment (settings.WAGTAILFRONTENDCACHE); with nothing
configured this does nothing, and proxies keep pages for `s-maxage` at most.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

logger = logging.getLogger(__name__)

# Purges jump the task queue: a proxy keeps serving the old page until its
# purge runs, and a worker busy with a publish's related lists or a storm's
# mail kept readers behind nginx on it for seconds (bench/cluster.py). A purge
# is one small HTTP request; mail and related lists can wait for it.
PURGE_PRIORITY = 50


def purge_urls(urls):
    # An address without a host (a site with no Site row) names nothing a
    # proxy keeps, and would fail the whole batch.
    urls = sorted({url for url in urls if url and urlsplit(url).netloc})
    if not urls or not settings.WAGTAILFRONTENDCACHE:
        return
    try:
        # Wagtail's purge_urls_from_cache(), queued ahead of other work.
        purge_urls_from_cache_task.using(priority=PURGE_PRIORITY).enqueue(urls)
    except Exception:  # a proxy that is down must not fail a publish
        logger.exception("Could not purge %d URLs from the frontend cache", len(urls))
