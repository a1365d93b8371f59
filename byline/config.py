"""Read typed settings from the environment, failing loudly on bad values.

Every error names the variable, so a misconfigured deployment stops at start-up
with a message an operator can act on instead of misbehaving later.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    """Return the variable as a stripped string, or the default when unset."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set in the environment.")
        return default
    return value.strip()


def env_bool(name, default=False):
    """Return the variable as a boolean; anything but a known word is an error."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off."
    )


def env_int(name, default, *, minimum=None):
    """Return the variable as an integer, checking an optional lower bound."""
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name, default=()):
    """Return a comma-separated variable as a list of non-empty items."""
    value = env_str(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(name, url):
    """Parse a database URL into a DATABASES entry, naming the variable on error."""
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} has unsupported scheme {scheme!r}; use postgres:// or sqlite://."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types
        raise ImproperlyConfigured(f"{name} could not be parsed: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database (postgres://…/NAME).")
    if scheme == "sqlite":
        config["ENGINE"] = "byline.core.sqlite"  # as the default database
    return config


def redis_url(name):
    """Return a Redis URL from the variable, or None when unset."""
    url = env_str(name)
    if url is None:
        return None
    if urlsplit(url).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"{name}={url!r} must start with redis:// or rediss://."
        )
    return url
