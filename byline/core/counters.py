"""Counters every process shares: atomic, expiring, and never evicted.

Rate limits (`byline.core.ratelimit`) count here, not in the cache: a cache may
drop any entry to make room (Django's file cache culls a random third at 300
entries), and a counter that can be dropped is a limit anyone can reset by
filling the cache. Three stores, chosen by the RATE_LIMIT_STORE setting:

- "files" (the default without Redis): a diskcache store of SQLite files
  under VAR_DIR/rate-counters that evicts nothing, shared by every process
  of the machine. An increment is `add(key, 0, expire)` then `incr(key)` in
  one IMMEDIATE transaction, so concurrent increments queue and give exactly
  1…N, and a counter expires with its window. It keeps three write
  transactions per comment off the site's database, whose single writer a
  comment storm queues on (issue 18).
- "database": one row per counter in `core_ratecounter`. An increment is an
  `UPDATE … SET count = count + 1` and a read of the result in one transaction,
  so the row lock (PostgreSQL) or the database write lock (SQLite, whose
  transactions here are IMMEDIATE) makes concurrent increments queue: N
  increments give exactly 1…N. A missing row is inserted; when two processes
  insert at once, the loser's IntegrityError sends it back to the UPDATE.
  Expired rows are deleted now and then by the process that creates a row.
- a redis:// URL: `SET key 0 EX ttl NX` then `INCR key` in one MULTI/EXEC
  transaction. The Redis server must not evict keys on its own
  (`maxmemory-policy noeviction`, Redis's default), or use a Redis of its own.

Call `increment()` outside any transaction of yours where you can: with the
database store, a count made inside one is undone if it rolls back.
"""

import time
from datetime import UTC, datetime
from functools import cache

import diskcache
import redis
from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from redis.exceptions import RedisError

from byline.core.models import RateCounter

# What `increment` raises when its store cannot be reached or written.
UNAVAILABLE = (DatabaseError, RedisError, diskcache.Timeout, OSError)
# How often (seconds) one process sweeps expired rows out of the table.
SWEEP_EVERY = 60
_last_sweep = 0.0


def increment(key, expires_at):
    """Add one to the counter `key` and return its new value.

    `expires_at` (a Unix time) is when the counter may be forgotten: the end of
    the window it counts. The first increment of a key starts it at 1.
    """
    store = settings.RATE_LIMIT_STORE
    if store == "database":
        return _database_increment(key, expires_at)
    if store == "files":
        return _files_increment(key, expires_at)
    return _redis_increment(store, key, expires_at)


@cache
def _files(directory):
    # Per process: diskcache opens its connections again after a fork.
    return diskcache.Cache(
        str(directory),
        timeout=10,
        eviction_policy="none",
        sqlite_mmap_size=0,
        sqlite_cache_size=256,
    )


def _files_increment(key, expires_at):
    store = _files(settings.RATE_LIMIT_FILES)
    with store.transact(retry=True):
        store.add(key, 0, expire=max(1.0, expires_at - time.time()))
        return store.incr(key)


def _database_increment(key, expires_at):
    mine = RateCounter.objects.filter(key=key)
    created = False
    with transaction.atomic():
        if not mine.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(
                        key=key,
                        count=1,
                        expires=datetime.fromtimestamp(expires_at, UTC),
                    )
                created = True
            except IntegrityError:
                # Another process inserted it first: count on top of theirs.
                mine.update(count=F("count") + 1)
        # Our UPDATE holds the row until commit, so this reads our own count.
        count = mine.values_list("count", flat=True).get()
    if created:
        _sweep()
    return count


def clear():
    """Forget every count of the files store (each test starts with none)."""
    if settings.RATE_LIMIT_STORE == "files":
        _files(settings.RATE_LIMIT_FILES).clear(retry=True)


def reset():
    """Forget when this process last swept, as a new process starts: the next
    counter it creates sweeps expired rows."""
    global _last_sweep
    _last_sweep = 0.0


def _sweep():
    global _last_sweep
    now = time.time()
    if now - _last_sweep < SWEEP_EVERY:
        return
    _last_sweep = now

    RateCounter.objects.filter(expires__lt=datetime.fromtimestamp(now, UTC)).delete()


@cache
def _redis(url):
    return redis.Redis.from_url(url)


def _redis_increment(url, key, expires_at):
    ttl = max(1, int(expires_at - time.time()) + 1)
    name = f"{settings.CACHE_KEY_PREFIX}:rate:{key}"
    pipe = _redis(url).pipeline(transaction=True)
    pipe.set(name, 0, ex=ttl, nx=True)
    pipe.incr(name)
    _, count = pipe.execute()
    return int(count)
