"""Read replicas: which database a query goes to (DATABASE_REPLICA_URL).

With replicas configured (settings.REPLICA_DATABASES, one alias per URL), the
rules are, in this order:

- Writes always go to the primary ("default").
- Outside a request (task workers, the scheduler, management commands,
  migrations) every read goes to the primary: only a request can be routed.
- A request may read a replica only when it is a plain anonymous read: GET or
  HEAD with no session cookie and no personal cookie (the same ones that keep
  a reader off the shared page cache: a reader who has just commented sees
  their own comment). Editors, the admin and every form post read the primary.
- Once a request has written (the router was asked where to write), or while
  a transaction is open on the primary, the rest of that request reads the
  primary too, so it reads what it wrote.
- A replica is used only when it has replayed the primary's WAL up to the last
  change the page cache was told of (`record_primary_position`, called before
  every tag bump). Without this a reader could render a just-published page
  from a lagging replica after its tag was bumped, and the stale render would
  be kept as fresh. A replica that is behind, or does not answer, is skipped
  for that request: it reads the primary.

The choice is made lazily, at the request's first read, so pages served from
the page cache never touch a database.
"""

import contextvars
import logging
import random

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

from byline.core.cacheable import PERSONAL_COOKIES

logger = logging.getLogger(__name__)

PRIMARY = "default"
# The primary's WAL position after its newest change pages show (PostgreSQL).
POSITION_KEY = "byline:db:primary-position"
POSITION_SECONDS = 24 * 60 * 60


class _Routing:
    """One request's routing: may it read a replica, and which one it chose."""

    def __init__(self, eligible):
        self.eligible = eligible
        self.wrote = False
        self.alias = None  # decided at the first read


_current = contextvars.ContextVar("byline_replica_routing", default=None)


def replica_aliases():
    return list(settings.REPLICA_DATABASES)


def may_read_replica(request):
    """Return whether this request is a plain anonymous read (see above)."""
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and not any(
        name in cookies for name in PERSONAL_COOKIES
    )


class ReplicaMiddleware:
    """Mark each request as one that may read a replica, or not."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = bool(replica_aliases()) and may_read_replica(request)
        # Reset after the request: a render thread serves many.
        token = _current.set(_Routing(eligible))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def reading_alias():
    """Return the alias this moment's reads go to."""
    routing = _current.get()
    if routing is None or not routing.eligible or routing.wrote:
        return PRIMARY
    if connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if routing.alias is None:
        routing.alias = _choose_replica()
    return routing.alias


def _choose_replica():
    aliases = replica_aliases()
    random.shuffle(aliases)
    wanted = cache.get(POSITION_KEY)
    for alias in aliases:
        try:
            if caught_up(alias, wanted):
                return alias
        except DatabaseError:
            # A replica that is down costs its readers nothing but the primary.
            logger.warning("replica %r did not answer; reading the primary", alias)
            connections[alias].close()
    return PRIMARY


def caught_up(alias, position):
    """Return whether replica `alias` has replayed the primary up to `position`."""
    connection = connections[alias]
    if position is None or connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
        return bool(cursor.fetchone()[0])


def status():
    """Return {alias: "ok", "behind" or "failed"} for /readyz: whether each
    replica has replayed the last change pages show. Only informative: a
    replica that is behind or down is skipped, not a reason to stop serving."""
    aliases = replica_aliases()
    if not aliases:
        return {}
    try:
        wanted = cache.get(POSITION_KEY)
    except Exception:  # the cache's own check reports it
        wanted = None
    found = {}
    for alias in aliases:
        try:
            found[alias] = "ok" if caught_up(alias, wanted) else "behind"
        except DatabaseError:
            logger.exception("replica %r did not answer /readyz", alias)
            connections[alias].close()
            found[alias] = "failed"
    return found


def record_primary_position():
    """Remember the primary's WAL position: readers of what was just committed
    use a replica only once it has replayed this far. Called after commit and
    before the page cache's tags are bumped (pagecache/invalidation.py)."""
    if not replica_aliases() or connections[PRIMARY].vendor != "postgresql":
        return
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        position = cursor.fetchone()[0]
    cache.set(POSITION_KEY, position, POSITION_SECONDS)


class ReplicaRouter:
    """Django's database router for DATABASE_REPLICA_URL (see the module)."""

    def db_for_read(self, model, **hints):
        return reading_alias()

    def db_for_write(self, model, **hints):
        routing = _current.get()
        if routing is not None:
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same data: the primary or a copy of it.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas are read-only copies: migrations run on the primary only.
        return db == PRIMARY
