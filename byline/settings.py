"""Byline settings, read from the environment in this one place.

Every variable is listed, with a safe development value, in `.env.example`.
Nothing here asks "are we in production?": DEBUG off simply means secrets must
be supplied, and a missing or malformed one stops the process with its name.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from byline.config import (
    check_secret,
    database_from_url,
    database_identity,
    env_bool,
    env_int,
    env_list,
    env_str,
    load_env_file,
    object_storage,
    redis_url,
    replica_databases,
    site_url,
    storage_origin,
)
from byline.core import disk_cache
from byline.core.sqlitefiles import keep_private as keep_sqlite_private

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(env_str("BYLINE_VAR_DIR", str(BASE_DIR / "var")))
# A local install's generated secrets and address (`make run` writes them), so
# management commands work as they stand; the environment wins over the file.
load_env_file(VAR_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment when DEBUG is off "
            "(`make run` generates one under var/ for a local install)."
        )
    SECRET_KEY = "insecure-development-key-never-used-with-debug-off"
else:
    check_secret("SECRET_KEY", SECRET_KEY, debug=DEBUG)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list at least one host name.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "byline.core",
    "byline.news",
    "byline.search",
    "byline.related",
    "byline.comments",
    "byline.syndication",
    "byline.provenance",
    "byline.api",
    "byline.newsletter",
    "byline.importers",
    "byline.pagecache",
    "byline.operations",
    "byline.publishing",
    "byline.twofactor",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "byline.core.health.HealthCheckMiddleware",
    # Outside everything else: a kept page is served without the rest, and is
    # kept with the headers they add (security, framing).
    "byline.pagecache.middleware.PageCacheMiddleware",
    # Inside the page cache (a kept page reads no database): whether this
    # request may read a replica (DATABASE_REPLICA_URL).
    "byline.core.replicas.ReplicaMiddleware",
    # After the page cache: a kept page is served without reading site settings.
    "byline.core.siteconfig.SiteConfigMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "byline.pagecache.csrf.SharedPageCsrfMiddleware",
    # After CSRF (it counts in process_view): a post it refuses and offers back
    # has been vouched for (byline/core/resend.py).
    "byline.core.ratelimit.RateLimitMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks the user verified once a second factor was given in this session,
    # then holds password-only sessions at that step (byline/twofactor).
    "django_otp.middleware.OTPMiddleware",
    "byline.twofactor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "byline.core.sites.SiteMiddleware",
    # Outside the two below: their redirects to non-public pages become 404s.
    "byline.core.redirects.PublicRedirectsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "byline.importers.middleware.WordPressAddressMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses logins from a locked-out address and user before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "byline.urls"
WSGI_APPLICATION = "byline.wsgi.application"

# Two engines, each with its own folders and no template name in both: Django
# templates (`templates/`) for the admin and mail, Jinja2 (`jinja2/`) for every
# page and include a reader sees (byline/jinja.py). Django's comes first: its
# cached loader remembers a miss, so a reader page's name costs one lookup.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.core.context_processors.site_chrome",
                "byline.pagecache.context_processors.shared_page_forms",
            ],
        },
    },
    {
        # Reader pages: the skeleton, header, footer and shared includes in
        # byline/jinja2/, each app's pages in <app>/jinja2/<app>/.
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PROJECT_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "byline.jinja.environment",
            "context_processors": [
                # One token per request, as Django templates get it (the
                # backend's own re-masks the token at every use).
                "django.template.context_processors.csrf",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "byline.core.context_processors.site_chrome",
                "byline.pagecache.context_processors.shared_page_forms",
            ],
        },
    },
]

# SQLite is the embedded default: one file under var/, in WAL mode so readers
# never wait for the writer, and IMMEDIATE transactions so concurrent writers
# queue on the lock instead of failing with "database is locked".
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url("DATABASE_URL", DATABASE_URL)}
else:
    # Private: it holds the database and local secrets (0700 whatever the umask;
    # the database file is made 0600 below).
    VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "byline.sqlite3",
            # Kept open between requests, as PostgreSQL's are: opening the file
            # and setting its pragmas was a fifth of an article page's time.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
# Read replicas (README, "Running several nodes"): one alias per URL, read by
# plain anonymous requests only (byline/core/replicas.py). Tests read the
# primary: each replica mirrors it under test.
DATABASES.update(replica_databases("DATABASE_REPLICA_URL"))
REPLICA_DATABASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["byline.core.replicas.ReplicaRouter"] if REPLICA_DATABASES else []
# A SQLite database file is created 0600, or made so, before any connection
# opens it (and again on each new connection: byline.core.sqlitefiles).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.sqlite3":
        keep_sqlite_private(_database["NAME"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # The event loop looks kept pages up (pagecache/asgi.py): a Redis
            # that stops answering must fail its requests, not stop the loop
            # (and every connection of the worker) for good.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    # Without Redis, pages and their tags' versions are kept in SQLite files
    # under VAR_DIR (diskcache), shared by every process of this machine, so
    # an invalidation made by one is seen by all of them. Django's file cache
    # did that too, but culled a random third of its entries whenever it held
    # 300, tag versions included: past a few dozen pages it kept almost
    # nothing (issue 18's spike: 80 reader pages, 78 pages/s). diskcache drops
    # the least recently stored entries, and only past CACHE_SIZE_MB; its
    # `add` is atomic between processes, as the page cache's refresh mark needs.
    CACHES = disk_cache.caches(
        VAR_DIR / "cache-db", env_int("CACHE_SIZE_MB", 1024, minimum=16)
    )
# The site's language (README, "Languages"): every reader page, date and
# number is in it, and Arabic, Hebrew, Persian or Urdu turn the page right to
# left. One language for the whole site, not one per request, so a kept page
# (pagecache) is the same for every reader. PostgreSQL search stems with it.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en-gb")
# Byline's own translations (byline/locale/<lang>/LC_MESSAGES/django.po and
# the .mo compiled from it, both committed; `manage.py update_translations`
# makes both).
LOCALE_PATHS = [PROJECT_DIR / "locale"]

# Every cache is named after the database it mirrors: pointing DATABASE_URL at
# another database must not read the first one's cached site table, view
# restrictions or pages (README, "Addresses, the page cache and proxies"); and
# after the language, so pages kept in one are not served after a switch.
CACHE_KEY_PREFIX = (
    f"{env_str('CACHE_KEY_PREFIX', 'byline')}:{database_identity(DATABASES['default'])}"
    f":{LANGUAGE_CODE}"
)
CACHES = {
    alias: {**cache, "KEY_PREFIX": CACHE_KEY_PREFIX} for alias, cache in CACHES.items()
}

# Tasks (mail, related lists, purges) run in the request by default; production
# sets TASKS_BACKEND=django_tasks_db.DatabaseBackend and runs `manage.py db_worker`
# beside gunicorn, so a request never waits on them.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
]

TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# var/ is private (0700): a proxy that serves /static/ or /media/ from disk as
# another user reads copies placed outside it.
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names let whitenoise (and any proxy) cache static files for a year.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Byline <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# HTTPS=1 when readers reach the site over TLS (directly or through a proxy
# that terminates it, with BEHIND_TLS_PROXY=1): plain HTTP is redirected,
# cookies are sent over TLS only and browsers are told to insist on it (HSTS).
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if HTTPS else 0, minimum=0
)
# Both commit every subdomain (and, with preload, browsers' built-in lists) to
# HTTPS for a year or more: the domain owner's decision, so off unless asked.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, chosen in [
        ("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", SECURE_HSTS_PRELOAD),
    ]
    if not chosen
] + [
    # CSRF protection is on: byline.pagecache.csrf subclasses Django's
    # middleware, which this check does not recognise by name.
    "security.W003",
    # SAMEORIGIN, not DENY: Wagtail's live preview shows our pages in a frame
    # of the admin; other sites still cannot frame them (CSP frame-ancestors).
    "security.W019",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
# Proxies whose X-Forwarded-For is believed (byline/core/clientip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Content-Security-Policy (django-csp) on every public page: our own scripts,
# styles and images only, no inline script or style, no plugins, no framing by
# others. The admin is Wagtail's, with its own inline code, and is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

# Admin login lockout (django-axes): after LOGIN_FAILURE_LIMIT failures for one
# user name from one address, both are refused for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# By network, as rate limits count (an IPv6 reader holds a whole /64).
AXES_CLIENT_IP_CALLABLE = "byline.core.clientip.client_network"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"

# Two-factor sign-in (byline/twofactor): with ADMIN_2FA_REQUIRED on, superusers
# and members of ADMIN_2FA_GROUPS must give a code from an authenticator app
# (TOTP) after their password, and set one up at their next sign-in if they
# have none. Anyone else may turn it on for their own account.
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", False)
ADMIN_2FA_GROUPS = env_list("ADMIN_2FA_GROUPS", ["Editors"])
OTP_TOTP_ISSUER = env_str("SITE_NAME", "Byline")

# Where rate-limit counters live (byline/core/counters.py): "files" (SQLite
# files of this machine's, under RATE_LIMIT_FILES), "database", or a redis://
# URL (default: REDIS_URL when set, else "files"). Never the cache, which evicts.
RATE_LIMIT_STORE = env_str("RATE_LIMIT_STORE", "")
if RATE_LIMIT_STORE not in ("", "database", "files"):
    RATE_LIMIT_STORE = redis_url("RATE_LIMIT_STORE")  # refuses what is not Redis
RATE_LIMIT_STORE = RATE_LIMIT_STORE or REDIS_URL or "files"
RATE_LIMIT_FILES = VAR_DIR / "rate-counters"
# Rate limits per reader address (IPv6: per /64): (requests, seconds).
RATE_LIMIT_POSTS = (
    env_int("RATE_LIMIT_POSTS", 20, minimum=1),
    env_int("RATE_LIMIT_POSTS_WINDOW", 60, minimum=1),
)
RATE_LIMIT_SEARCH = (
    env_int("RATE_LIMIT_SEARCH", 30, minimum=1),
    env_int("RATE_LIMIT_SEARCH_WINDOW", 60, minimum=1),
)
RATE_LIMIT_SUGGEST = (
    env_int("RATE_LIMIT_SUGGEST", 120, minimum=1),
    env_int("RATE_LIMIT_SUGGEST_WINDOW", 60, minimum=1),
)

# Whole pages for anonymous readers (byline/pagecache): how long the app keeps
# one (exact invalidation keeps it true) and how long proxies may (purges reach
# them when FRONTEND_CACHE_* is set; listing pages past the first keep it short).
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600, minimum=1)
PAGE_CACHE_SHARED_SECONDS = env_int("PAGE_CACHE_SHARED_SECONDS", 300, minimum=1)
# Uploads and renditions: local files, or an S3-compatible bucket when
# AWS_STORAGE_BUCKET_NAME is set (README, "Running several nodes"); signed
# image links must outlive the pages cached with them, by the app and then by
# a proxy.
OBJECT_STORAGE = object_storage(PAGE_CACHE_SECONDS, PAGE_CACHE_SHARED_SECONDS)
if OBJECT_STORAGE:
    STORAGES["default"] = OBJECT_STORAGE
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        storage_origin(OBJECT_STORAGE)
    )
# Media is served by Django only for the local install on local files;
# production puts a web server, object storage or a CDN in front (README).
SERVE_MEDIA = env_bool("SERVE_MEDIA", OBJECT_STORAGE is None)
PAGE_CACHE_DEEP_SECONDS = env_int("PAGE_CACHE_DEEP_SECONDS", 60, minimum=1)
# Listings show a comment count that may lag a new comment by this long: their
# refresh is coalesced by the task worker (0, or no worker: at once).
PAGE_CACHE_LISTING_SECONDS = env_int("PAGE_CACHE_LISTING_SECONDS", 5, minimum=0)
# A page that changed is rendered again by one request while other readers get
# the copy kept before, if that copy is younger than this (pagecache/store.py;
# 0: every reader of a changed page renders it).
PAGE_CACHE_STALE_SECONDS = env_int("PAGE_CACHE_STALE_SECONDS", 10, minimum=0)
# ...and never once the copy's render began this long ago (a tag's version is
# its latest change, so a page whose tags keep changing would otherwise be shown
# stale for as long as its renders failed).
PAGE_CACHE_STALE_MAX_SECONDS = env_int("PAGE_CACHE_STALE_MAX_SECONDS", 300, minimum=0)
# Requests a process lets into Django at once, in arrival order; the server's
# other threads answer kept pages meanwhile (pagecache/render_threads.py). On
# SQLite a render is all CPU in the process, and a second thread only shares the
# interpreter's lock with the first (an uncached article: 930 against 749 pages/s,
# bench/README.md); PostgreSQL's answers come over a socket, which a second
# thread can wait on while the first renders.
RENDER_THREADS = env_int("RENDER_THREADS", 2 if DATABASE_URL else 1, minimum=1)
# Threads of a process that take what the event loop does not answer (anything
# but a fresh kept page, pagecache/asgi.py): most of them wait for a render
# thread, so there are many; they hold no connection while they wait.
SERVER_THREADS = env_int("THREADS", 32, minimum=1)
# Requests a process holds for those threads at most; past it, 503 at once
# (with Retry-After) instead of a queue without bound (pagecache/asgi.py).
SERVER_WAITING_LIMIT = env_int("SERVER_WAITING_LIMIT", 1000, minimum=1)
# Of those, how many answer stale kept pages at once (render_threads).
KEPT_PAGE_THREADS = env_int("KEPT_PAGE_THREADS", 2, minimum=1)
CSRF_FAILURE_VIEW = "byline.pagecache.views.csrf_failure"
# Proxies and CDNs to purge when pages change (Wagtail's frontend cache module):
# an HTTP PURGE address (Varnish, nginx with cache_purge) and/or Cloudflare.
WAGTAILFRONTENDCACHE = {}
if purge_url := env_str("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": purge_url,
    }
if cloudflare_zone := env_str("CLOUDFLARE_ZONE_ID"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "ZONEID": cloudflare_zone,
        "BEARER_TOKEN": env_str("CLOUDFLARE_API_TOKEN", required=True),
    }
if cloudfront := env_str("CLOUDFRONT_DISTRIBUTION_ID"):
    # Wagtail's CloudFront backend needs boto3 (pip install boto3) and the usual
    # AWS credentials in the environment.
    WAGTAILFRONTENDCACHE["cloudfront"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": cloudfront,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Wagtail
WAGTAIL_SITE_NAME = env_str("SITE_NAME", "Byline")
# One language (read on every page link: an unset setting is an exception each).
WAGTAIL_I18N_ENABLED = False
# Provenance: the Ed25519 key that signs published revisions. With DEBUG on it
# is created under var/ on first use; with DEBUG off it must be given (`make run`
# creates one for the local install) and the site refuses to start without it.
PROVENANCE_SIGNING_KEY_FILE = env_str("PROVENANCE_SIGNING_KEY_FILE")
PROVENANCE_CREATE_KEY = DEBUG and PROVENANCE_SIGNING_KEY_FILE is None
if PROVENANCE_SIGNING_KEY_FILE is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "PROVENANCE_SIGNING_KEY_FILE must be set in the environment when DEBUG "
            "is off (create a key with `python -m byline.provenance.keyfile PATH`; "
            "`make run` makes one under var/ for a local install)."
        )
    PROVENANCE_SIGNING_KEY_FILE = str(VAR_DIR / "provenance" / "signing-key.pem")

# Backups: age public keys (age1…, comma-separated) to encrypt archives to; the
# identity that opens them is kept off this machine. None: archives are clear.
BACKUP_RECIPIENTS = env_list("BACKUP_RECIPIENTS")

# The public address of the site. Every absolute URL (canonical links, feeds,
# sitemaps, signed records, mail) comes from the Wagtail site, never from a
# request's Host header; `migrate` writes this address into the default site
# when SITE_URL is set (byline/core/addresses.py).
SITE_URL = site_url("SITE_URL", "http://127.0.0.1:8000")
SITE_URL_FROM_ENVIRONMENT = env_str("SITE_URL") is not None
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", SITE_URL)
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the admin draws initials (byline/core/avatars.py) without asking
# an outside service about the people who sign in.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The read API's largest page (Wagtail's own default, written here because the
# OpenAPI schema states it too).
WAGTAILAPI_LIMIT_MAX = 20
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "zip"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# Byline
# The hour (site time zone) from which `run_scheduler` sends the day's digests.
NEWSLETTER_SEND_HOUR = env_int("NEWSLETTER_SEND_HOUR", 6, minimum=0)
# Served by gunicorn with deploy/gunicorn.conf.py: the master forks the
# scheduler's loop once the application is loaded (`make run` turns it on).
SCHEDULER_IN_WEB = env_bool("SCHEDULER_IN_WEB", False)

NEWS_PAGE_SIZE = env_int("NEWS_PAGE_SIZE", 20, minimum=1)
# Pages per part of the page sitemap (the protocol allows 50,000; smaller parts
# answer quickly at a million articles).
SITEMAP_PART_SIZE = min(env_int("SITEMAP_PART_SIZE", 5_000, minimum=1), 50_000)
# Listing pages numbered `?page=N` up to this one; older pages are addressed by
# the article before them (`?before=<id>`), which costs the same at any depth.
NEWS_NUMBERED_PAGES = env_int("NEWS_NUMBERED_PAGES", 50, minimum=1)
# "You may also like": how many related articles an article shows.
RELATED_ARTICLES_COUNT = env_int("RELATED_ARTICLES_COUNT", 4, minimum=1)
# Below this many articles a publish relearns the related-articles model in full.
RELATED_FULL_REBUILD_BELOW = env_int("RELATED_FULL_REBUILD_BELOW", 2000, minimum=0)
# Imports rebuild the related lists when they finish; 0 leaves it to
# `manage.py related --rebuild` (bulk migrations, benchmarks).
RELATED_AFTER_IMPORT = env_bool("RELATED_AFTER_IMPORT", True)
# Optional semantic mode (needs the `semantic` install extra); off by default.
RELATED_SEMANTIC = env_bool("RELATED_SEMANTIC", False)
# In semantic mode, the share of an article's score the embeddings give.
RELATED_SEMANTIC_WEIGHT = 0.2
# Comment spam defence: posts allowed per address in a window (count, seconds).
COMMENTS_IP_LIMIT = (
    env_int("COMMENTS_IP_LIMIT", 5, minimum=1),
    env_int("COMMENTS_IP_WINDOW", 300, minimum=1),
)
COMMENTS_EMAIL_LIMIT = (
    env_int("COMMENTS_EMAIL_LIMIT", 10, minimum=1),
    env_int("COMMENTS_EMAIL_WINDOW", 3600, minimum=1),
)
# Moderators get at most one mail about held comments in each window of this
# many minutes, listing every comment waiting.
COMMENTS_ALERT_MINUTES = env_int("COMMENTS_ALERT_MINUTES", 15, minimum=1)
# Mail that anyone could ask us to send to an address (confirmations, the link
# to one's comments): at most this many per recipient per window (seconds).
MAIL_RECIPIENT_LIMIT = (
    env_int("MAIL_RECIPIENT_LIMIT", 10, minimum=1),
    env_int("MAIL_RECIPIENT_WINDOW", 24 * 60 * 60, minimum=1),
)
