"""Read typed settings from the environment, failing loudly on bad values.

Every error names the variable, so a misconfigured deployment stops at start-up
with a message an operator can act on instead of misbehaving later.
"""

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import dotenv_values

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
    return config


def replica_databases(name):
    """Return {alias: DATABASES entry} for the comma-separated replica URLs in
    the variable: "replica", "replica_2", … Under test each mirrors the
    primary (Django's TEST MIRROR), so tests read what they wrote."""
    replicas = {}
    for number, url in enumerate(env_list(name), start=1):
        alias = "replica" if number == 1 else f"replica_{number}"
        replicas[alias] = {
            **database_from_url(name, url),
            "TEST": {"MIRROR": "default"},
        }
    return replicas


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


def site_url(name, default):
    """Return the site's public address from the variable (see check_site_url)."""
    return check_site_url(name, env_str(name, default))


def check_site_url(name, value):
    """Return the site address `value` as `scheme://host[:port]`.

    Wagtail's sites hold a host name and a port, and take https from port 443,
    so an address they cannot hold (a path, https on another port) is refused
    rather than silently changed.
    """
    value = value.rstrip("/")
    parts = urlsplit(value)
    example = "such as https://news.example.org or http://127.0.0.1:8000"
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} has a bad port.") from None
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ImproperlyConfigured(
            f"{name}={value!r} must be a site address {example}: scheme, host "
            "and optional port, nothing else."
        )
    default_port = 443 if parts.scheme == "https" else 80
    port = port or default_port
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"{name}={value!r}: Wagtail serves https addresses on port 443 only "
            "and http on any other port."
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    return f"{parts.scheme}://{host}" + ("" if port == default_port else f":{port}")


def object_storage(page_cache_seconds, shared_seconds=0):
    """The default storage on S3-compatible object storage, or None.

    On when AWS_STORAGE_BUCKET_NAME is set: uploads and Wagtail renditions go
    to the bucket through django-storages' S3 backend (boto3), so every node
    of a cluster sees the same files. AWS_S3_ENDPOINT_URL names MinIO, R2 or
    another S3-compatible service; keys come from AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or boto3's own chain (an instance role) when unset.

    Image URLs are the bucket's (or AWS_S3_CUSTOM_DOMAIN's, a CDN) and plain
    by default: the bucket or CDN serves media publicly, as news images are.
    With AWS_QUERYSTRING_AUTH=1 they are signed and expire; cached pages carry
    them, so a signature must outlive a page's life: the page cache's
    PAGE_CACHE_SECONDS, then a proxy's copy (PAGE_CACHE_SHARED_SECONDS,
    `shared_seconds`) taken at the end of it, or readers of a cached page
    would get broken images.
    """
    bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if bucket is None:
        return None
    signed = env_bool("AWS_QUERYSTRING_AUTH", False)
    page_life = page_cache_seconds + shared_seconds
    expire = env_int("AWS_QUERYSTRING_EXPIRE", 2 * page_life, minimum=1)
    if signed and expire <= page_life:
        raise ImproperlyConfigured(
            f"AWS_QUERYSTRING_EXPIRE={expire} must be longer than the {page_life} s "
            f"a page is kept (PAGE_CACHE_SECONDS={page_cache_seconds}, then "
            f"PAGE_CACHE_SHARED_SECONDS={shared_seconds} by a proxy): cached pages "
            "would show expired image links."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
        "region_name": env_str("AWS_S3_REGION_NAME"),
        "access_key": env_str("AWS_ACCESS_KEY_ID"),
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY"),
        "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
        "location": env_str("AWS_LOCATION", "media"),
        "default_acl": env_str("AWS_DEFAULT_ACL"),
        "querystring_auth": signed,
        "querystring_expire": expire,
        # Two uploads of the same name keep both (Django's own rule), never
        # one silently replacing the other.
        "file_overwrite": False,
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in options.items() if v is not None},
    }


def storage_origin(storage):
    """The origin image links of an object storage name, for the page's
    Content-Security-Policy (img-src): its CDN domain, its endpoint, or AWS."""
    options = storage["OPTIONS"]
    if domain := options.get("custom_domain"):
        return f"https://{domain}"
    if endpoint := options.get("endpoint_url"):
        parts = urlsplit(endpoint)
        return f"{parts.scheme}://{parts.netloc}"
    return "https://*.amazonaws.com"


def load_env_file(path):
    """Set the variables of a dotenv file that the environment does not set.

    `make run` keeps a local install's generated secrets in var/.env, so that
    `manage.py createsuperuser` works as it stands; a variable set in the
    environment always wins. The file holds secrets: one that other users can
    read stops start-up.
    """
    path = Path(path)
    if not path.is_file():
        return
    if path.stat().st_mode & 0o077:
        raise ImproperlyConfigured(
            f"{path} holds secrets and must be readable by its owner only "
            f"(chmod 600 {path})."
        )
    for name, value in dotenv_values(path).items():
        if value is not None:
            os.environ.setdefault(name, value)


def database_identity(database):
    """Return a short, stable name of the database a DATABASES entry points at.

    Caches are shared by every process of a site and outlive a change of
    DATABASE_URL; prefixing their keys with this keeps one database's cached
    state (site table, restricted paths, pages) from being read for another.
    """
    name = str(database.get("NAME") or "")
    if "sqlite" in database["ENGINE"] and name and name != ":memory:":
        name = str(Path(name).resolve())
    parts = [database["ENGINE"], name, database.get("HOST"), database.get("PORT")]
    raw = "|".join(str(part or "") for part in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


# Secrets published as examples: ours (.env.example, the built-in development
# key) and the usual words people type. A site using one has no secret at all.
PLACEHOLDER_SECRETS = {
    "change-me-to-a-long-random-string",
    "insecure-development-key-never-used-with-debug-off",
    "changeme",
    "change-me",
    "secret",
    "secret-key",
    "secret_key",
}
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 8


def check_secret(name, value, *, debug):
    """Refuse a published placeholder always, and with DEBUG off a secret too
    short or too plain to be one (fewer than 32 characters or 8 different ones,
    or Django's `django-insecure-` development keys)."""
    if value.lower() in PLACEHOLDER_SECRETS:
        raise ImproperlyConfigured(
            f"{name} is the example placeholder: set a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if debug:
        return
    if (
        len(value) < MIN_SECRET_LENGTH
        or len(set(value)) < MIN_SECRET_DISTINCT
        or value.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            f"{name} is too weak for a site with DEBUG off: use at least "
            f"{MIN_SECRET_LENGTH} random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
