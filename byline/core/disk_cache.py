"""The shared cache of one machine without Redis: diskcache's SQLite files.

Every gunicorn worker, the scheduler and the task worker of a machine open the
same files under VAR_DIR, so a page kept or a tag bumped by one process is seen
by all (README, "What is cached, and how it is invalidated"). Entries are
dropped least recently stored first, and only once the cache outgrows its size
limit; `add` and `incr` are atomic between processes.

Django closes every cache at the end of each request (`close_caches` on
`request_finished`), which for diskcache means closing each thread's SQLite
connections and opening them again on the next request: about a tenth of a
comment post's time in the storm benchmark. The connections are per thread and
per process (diskcache reopens them after a fork), so they are kept.
"""

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    def close(self, **kwargs):
        """Keep this thread's connections for its next request."""


def caches(directory, size_mb):
    """The CACHES of a machine without Redis."""
    return {
        "default": {
            "BACKEND": "byline.core.disk_cache.SharedDiskCache",
            "LOCATION": str(directory),
            "TIMEOUT": 300,
            "OPTIONS": {
                "size_limit": size_mb << 20,
                # Read through SQLite's own page cache, bounded per connection
                # (4 MiB), rather than map the files into every process.
                "sqlite_mmap_size": 0,
                "sqlite_cache_size": 1024,
            },
        },
        # Wagtail writes every rendition it hands out back to this cache.
        # Renditions are stored under their focal point and filter, so a
        # process's own copy is safe; one replaced with its image's file is
        # forgotten in minutes.
        "renditions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
