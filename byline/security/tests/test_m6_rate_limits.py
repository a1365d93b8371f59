"""M6: rate limits that cannot be reset, raced or dodged.

The review reset every limit by filling the page cache (the counters lived in
it, and the file cache culls at 300 entries: 275 GETs of `/?page=N` did it),
got 21 of 48 concurrent votes through a limit of 20 (get-then-set increments),
and noted that an IPv6 reader holds 2^64 addresses.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]

# One worker process of a site as `make run` serves it (byline.settings, DEBUG
# off, the default stores), counting one reader's posts as fast as it can, the
# way the POST limit of RateLimitMiddleware counts them.
POSTER = r"""
import json, os, sys, time
import django
django.setup()
from django.db import connection
ready, go, posts, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
if first == "first" and connection.vendor == "sqlite":  # a new, empty database
    try:
        from byline.core.models import RateCounter
    except ImportError:  # code from before the counter table
        pass
    else:
        with connection.schema_editor() as editor:
            editor.create_model(RateCounter)
try:
    from byline.core.ratelimit import hit
    def attempt():
        return hit("post", "203.0.113.9", (20, 10**9)).allowed
except ImportError:  # the code before the merged counters
    from byline.core.ratelimit import over_limit
    def attempt():
        return over_limit("post", "203.0.113.9", 20, 10**9) == 0
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.005)
print(json.dumps([attempt() for _ in range(posts)]))
"""


def _site_env(var_dir, store):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        RATE_LIMIT_STORE=store,
        DJANGO_SETTINGS_MODULE="byline.settings",
        DEBUG="0",
        BYLINE_VAR_DIR=str(var_dir),
    )
    if connection.vendor == "postgresql":
        # The test database, where the migrated counter table already is.
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
            f"/{settings['NAME']}"
        )
    return env


# Serialized rollback: a transactional test without it leaves the content types
# that `flush` recreates, and the next test with it then fails to load its own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("store", ["database", "files", "redis"])
def test_concurrent_posts_from_many_processes_get_exactly_the_limit(tmp_path, store):
    """48 posts at once from four worker processes against a limit of 20: 20
    pass (one window for the whole test, so no boundary falls inside it)."""
    if store == "redis":
        if not os.environ.get("REDIS_URL"):
            pytest.skip("no REDIS_URL")
        store = os.environ["REDIS_URL"]
    env = _site_env(tmp_path, store)
    run = [sys.executable, "-c", POSTER]
    go = tmp_path / "go"
    workers = []
    for n in range(4):
        ready = tmp_path / f"ready-{n}"
        command = [*run, str(ready), str(go), "12", "first" if n == 0 else "next"]
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        workers.append((ready, process))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in workers):
        assert time.monotonic() < deadline, "the posting processes did not start"
        assert all(p.poll() is None for _, p in workers), workers[0][1].stderr.read()
        time.sleep(0.05)
    go.touch()
    allowed = []
    for _, process in workers:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
        allowed += json.loads(out.decode().strip().splitlines()[-1])
    assert len(allowed) == 48
    assert allowed.count(True) == 20


def _post(reader, address="198.51.100.7"):
    return reader.post(
        "/forms/token/", HTTP_SEC_FETCH_SITE="same-origin", REMOTE_ADDR=address
    )


def test_filling_the_page_cache_does_not_reset_a_limit(settings, tmp_path, home):
    """A file cache culled by a flood of pages keeps no counter to lose."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    }
    settings.RATE_LIMIT_POSTS = (3, 3600)
    reader = Client()
    assert [_post(reader).status_code for _ in range(4)] == [200, 200, 200, 429]
    for n in range(2, 60):
        reader.get(f"/?page={n}")  # the review's flood, as far as it still goes
    for n in range(1000):
        cache.set(f"flood:{n}", "x" * 100)  # and anything else that fills it
    assert _post(reader).status_code == 429


def test_an_ipv6_reader_is_one_reader_across_their_64(settings, home):
    """Addresses in one /64 share a limit; the next /64 is someone else."""
    settings.RATE_LIMIT_POSTS = (3, 3600)
    reader = Client()
    rotating = ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:a:b:c:d"]
    assert [_post(reader, a).status_code for a in rotating] == [200, 200, 200]
    assert _post(reader, "2001:db8:5:6:ffff:ffff:ffff:ffff").status_code == 429
    assert _post(reader, "2001:db8:5:7::1").status_code == 200
    # An IPv4 address written as IPv6 is that IPv4 address.
    for _ in range(3):
        _post(reader, "192.0.2.44")
    assert _post(reader, "::ffff:192.0.2.44").status_code == 429


def test_network_of_groups_ipv6_by_64_and_keeps_ipv4_whole():
    """The address as limits count it."""
    from byline.core.clientip import network_of

    assert network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::"
    assert network_of("2001:DB8:1:2::") == "2001:db8:1:2::"
    assert network_of("203.0.113.7") == "203.0.113.7"
    assert network_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert network_of("not an address") == "not an address"


def test_admin_lockout_counts_an_ipv6_network_not_each_address(client, db):
    """Failed sign-ins from fresh addresses of one /64 still lock it out."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("editor", password="right-password-42")
    for n in range(1, 6):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR=f"2001:db8:9:9::{n}",
        )
    locked = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password-42"},
        REMOTE_ADDR="2001:db8:9:9::77",
    )
    assert locked.status_code == 429


@pytest.mark.parametrize(
    "asked",
    ["/?page=7", "/?sort=votes", "{section}?page=999", "{section}?page=02",
     "{section}?page=abc", "{section}?page=1&page=2", "{article}?sort=anything",
     "{article}?page=3"],
)  # fmt: skip
def test_pages_asked_for_in_other_words_are_never_kept(client, make_article, asked):
    """Out-of-range or non-canonical ?page=/?sort= are answered but not stored.
    A deep page past the numbered ones is sent to its keyset address (news/
    keyset.py) by a redirect, which no cache keeps either."""
    article = make_article("Kept once")
    url = asked.format(section=article.get_parent().url, article=article.url)
    client.get(article.url)  # the site's settings rows exist, as on a running site
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response, url  # neither "miss" (kept) nor "hit"
        if response.status_code == 301:
            assert "?page=999" in asked
            continue
        assert response.status_code == 200
        assert "private" in response["Cache-Control"]


def test_pages_asked_for_by_their_own_number_are_kept(client, make_article, settings):
    """The class fix keeps what it should: real pages, real sorts."""
    settings.NEWS_PAGE_SIZE = 1
    first = make_article("One")
    make_article("Two")
    section = first.get_parent().url
    for url in [section, section + "?page=2", first.url + "?sort=votes"]:
        # A site's first request may create its settings rows, a change.
        answers = [client.get(url).get("X-Page-Cache") for _ in range(3)]
        assert answers[-1] == "hit", (url, answers)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query_only")
def test_search_goes_on_while_the_database_takes_no_writes(client, home, settings):
    """Counting in the database must not make reading depend on writing."""
    client.get("/search/?q=oil")  # the site's settings rows exist
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = client.get("/search/?q=oil")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 200


def test_the_counter_store_holds_no_address(settings, home):
    """Counters are keyed by a keyed hash: no reader address or email in them."""
    from byline.core import ratelimit

    settings.RATE_LIMIT_STORE = "database"
    _post(Client(), "198.51.100.23")
    ratelimit.hit("comment-email", "ana@example.org", (5, 60))
    from byline.core.models import RateCounter

    keys = list(RateCounter.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("198.51.100" in key or "ana" in key for key in keys)


def test_expired_counters_are_swept(settings, db):
    """Old windows are deleted by later counts, so the table stays small."""
    from datetime import timedelta

    from django.utils import timezone

    from byline.core import counters, ratelimit
    from byline.core.models import RateCounter

    settings.RATE_LIMIT_STORE = "database"
    RateCounter.objects.create(
        key="old", count=9, expires=timezone.now() - timedelta(hours=1)
    )
    counters.reset()  # a fresh process: its first new counter sweeps
    ratelimit.hit("search", "198.51.100.1", (5, 60))
    assert not RateCounter.objects.filter(key="old").exists()
    assert RateCounter.objects.count() == 1


def test_by_default_counts_stay_off_the_sites_database(home):
    """Without Redis the counters are the machine's files: a post's three
    counts are not three more writes queued on the site's single SQLite writer
    (issue 18's comment storm)."""
    from byline.core.models import RateCounter

    _post(Client(), "198.51.100.24")
    assert not RateCounter.objects.exists()


def test_a_files_counter_ends_with_its_window(settings, tmp_path):
    from byline.core import counters

    settings.RATE_LIMIT_STORE = "files"
    settings.RATE_LIMIT_FILES = tmp_path / "counters"
    ends = time.time() + 0.5  # kept a second at least
    assert [counters.increment("k", ends) for _ in range(3)] == [1, 2, 3]
    time.sleep(1.2)
    assert counters.increment("k", time.time() + 60) == 1
