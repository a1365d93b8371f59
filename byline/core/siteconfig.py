"""Site-wide values every page reads, kept in each process, checked once a request.

The site table, the header and footer, view restrictions and the comment and
newsletter settings are read by every page and change a few times a day. They
live in the shared cache, so a change made in one process reaches all of them;
each read was a file or a network round trip, seven to nine per page. Here each
process keeps its own copy, and a request reads one shared generation token
first: whoever forgets a value replaces the token, so every process drops its
copies at its next request. Outside a request (commands, tasks, tests calling
code directly) nothing is kept locally and the shared cache answers as before.
"""

import contextvars
import uuid

from django.core.cache import cache

GENERATION_KEY = "byline:siteconfig:generation:v1"
TIMEOUT = 60 * 60

_local = {}
_local_generation = [None]
# The generation the current request checked (None outside a request).
_in_request = contextvars.ContextVar("byline_siteconfig_checked", default=None)


def get(key, build, timeout=TIMEOUT):
    """The value under key: from this process if a request checked the
    generation, else from the shared cache, else built and shared."""
    checked = _in_request.get()
    if checked is not None and key in _local:
        return _local[key]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    # Kept only under the generation it was read in: a request of another
    # thread may have moved this process on to a newer one meanwhile.
    if checked is not None and checked == _local_generation[0]:
        _local[key] = value
    return value


def forget(*keys):
    """Forget values everywhere: shared copies now, other processes' copies at
    their next request."""
    cache.delete_many(keys)
    _local.clear()
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def local_generation():
    """The generation this process's copies belong to (None before its first
    request)."""
    return _local_generation[0]


def _check_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Never set, or the cache was cleared: start one (every process that
        # sees it differ from its own drops its copies).
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    if generation != _local_generation[0]:
        _local.clear()
        _local_generation[0] = generation
    return generation


class SiteConfigMiddleware:
    """Checks the generation once, then lets the request use local copies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _in_request.set(_check_generation())
        try:
            return self.get_response(request)
        finally:
            _in_request.reset(token)


def request_generation():
    """The generation the current request checked; None outside a request, where
    nothing may be kept in this process."""
    return _in_request.get()
