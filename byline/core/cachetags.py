"""Cache tags: names for what a page shows, with a version each.

A cached page remembers the version of every tag it was built from; changing
what a tag names writes a new version, and every page that carries it stops
matching at once, whichever process stored it. Versions are the time of the
change in nanoseconds, so a page rendered before a change can tell it is older
than that change and is not stored (see `stale_since`).
"""

import time

from django.core.cache import cache

PREFIX = "byline:pc:v:"
# Versions outlive the pages that read them (a page is kept at most a day).
VERSION_SECONDS = 7 * 24 * 60 * 60

SITE = "site"  # header, footer, settings: every page
RELATED = "related"  # every "You may also like" list (a full rebuild)


def page(pk):
    return f"page:{pk}"


def home_list():
    return "list:home"


def section_list(pk):
    return f"list:section:{pk}"


def tag_list(slug):
    return f"list:tag:{slug}"


def author_list(slug):
    return f"list:author:{slug}"


def versions(tags, *, missing_below):
    """Return {tag: version}; a tag never seen gets a version older than
    `missing_below` (the start of the request asking), stored for others."""
    keys = {PREFIX + tag: tag for tag in tags}
    found = cache.get_many(list(keys))
    result = {keys[key]: value for key, value in found.items()}
    for key, tag in keys.items():
        if tag not in result:
            # An evicted version comes back with a new value, so a page stored
            # under the old one can never match it again.
            cache.add(key, missing_below - 1, VERSION_SECONDS)
            result[tag] = cache.get(key, missing_below - 1)
    return result


def current(tags):
    """Return {tag: version} for a cached page's check; None for a missing tag."""
    keys = [PREFIX + tag for tag in tags]
    found = cache.get_many(keys)
    return {tag: found.get(PREFIX + tag) for tag in tags}


def bump(tags):
    """Give each tag a new version: every page built from it is out of date."""
    if not tags:
        return
    now = time.time_ns()
    cache.set_many({PREFIX + tag: now for tag in tags}, VERSION_SECONDS)
