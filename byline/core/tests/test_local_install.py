"""A local install as `make run` leaves it: commands work as they stand, the
site answers at the address `make run` serves, and caches follow the database.

Each test runs manage.py in a subprocess with a clean environment (no secret,
no DEBUG, no address), against a var/ folder prepared by the code `make run`
calls (byline/localenv.py).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SITE = "http://127.0.0.1:8640"


def _clean_env(var_dir, **extra):
    """What a site owner's new shell holds: no Byline variable but the folder."""
    return {"PATH": os.environ["PATH"], "BYLINE_VAR_DIR": str(var_dir), **extra}


def _run(var_dir, *args, **extra):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_clean_env(var_dir, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _shell(var_dir, code, **extra):
    return _run(var_dir, "manage.py", "shell", "--no-imports", "-c", code, **extra)


@pytest.fixture(scope="module")
def made_run(tmp_path_factory):
    """var/ after `PORT=8640 make run`'s set-up: secrets, .env, migrated."""
    var_dir = tmp_path_factory.mktemp("made-run-var")
    _run(var_dir, "-m", "byline.localenv", "--site-url", "http://127.0.0.1:8000")
    _run(var_dir, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    # The same install served on another port later: `PORT=8640 make run`.
    _run(var_dir, "-m", "byline.localenv", "--site-url", SITE)
    _run(var_dir, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    return var_dir


def test_management_commands_work_after_make_run_with_debug_off(made_run):
    """`manage.py createsuperuser` (the README's next step) starts in a new
    shell, reading the secrets `make run` generated, with DEBUG still off."""
    _run(
        made_run,
        "manage.py",
        "createsuperuser",
        "--noinput",
        "--username",
        "owner",
        "--email",
        "owner@example.org",
    )
    out = _shell(
        made_run,
        "from django.conf import settings\n"
        "from django.contrib.auth.models import User\n"
        "print(settings.DEBUG, User.objects.get(username='owner').is_superuser)",
    )
    assert out.split() == ["False", "True"]
    assert (made_run / ".env").stat().st_mode & 0o777 == 0o600


def test_the_environment_wins_over_the_local_env_file(made_run):
    """A variable set in the environment is used instead of var/.env's."""
    out = _shell(
        made_run,
        "from django.conf import settings; print(settings.SITE_URL)",
        SITE_URL="https://news.example.org",
    )
    assert out.strip() == "https://news.example.org"


def test_a_local_env_file_others_can_read_stops_start_up(tmp_path):
    """var/.env holds the secret key: readable by others, it is refused by name."""
    _run(tmp_path, "-m", "byline.localenv", "--site-url", SITE)
    (tmp_path / ".env").chmod(0o644)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "chmod 600" in result.stderr and ".env" in result.stderr


def test_make_run_on_another_port_gives_the_site_that_address(made_run):
    """`PORT=8640 make run`: SITE_URL and the Wagtail site say :8640, not :8000."""
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8640"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"--site-url {SITE}" in dry_run.stdout
    out = _shell(
        made_run,
        "from wagtail.models import Site\n"
        "print(Site.objects.get(is_default_site=True).root_url)",
    )
    assert out.strip() == SITE


def test_caches_are_not_shared_between_databases(made_run, tmp_path):
    """Pointing DATABASE_URL at a second database reads that database's state,
    not what the first one cached under var/ (a stale list of restricted paths
    dropped a public article of the second database from its listings)."""
    second = tmp_path / "second.sqlite3"
    first = made_run / "byline.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{first}{suffix}").exists():
            shutil.copy(f"{first}{suffix}", f"{second}{suffix}")
    count_public = (
        "from wagtail.models import Page\n"
        "from byline.core.privacy import public\n"
        "print(public(Page.objects.filter(depth=2)).count())"
    )
    # The first database restricts its page and caches the restricted paths.
    restricted = _shell(
        made_run,
        "from wagtail.models import Page, PageViewRestriction\n"
        "PageViewRestriction.objects.create(page=Page.objects.get(depth=2),"
        " restriction_type='login')\n" + count_public,
    )
    assert restricted.strip() == "0"
    # The second database has the same page, public.
    other = _shell(made_run, count_public, DATABASE_URL=f"sqlite:///{second}")
    assert other.strip() == "1"


KEEP_PAGES = """
import time
from byline.pagecache import store
started = time.time_ns()
for n in range({count}):
    store.keep(f"page-{{n}}", 200, [], b"x" * 2000, {{"site", f"page:{{n}}"}},
               started, '"e"', "modified")
"""
COUNT_FRESH = """
from byline.pagecache import store
print(sum(store.lookup(f"page-{{n}}")[1] for n in range({count})))
"""


def test_a_machine_without_redis_keeps_every_page_it_is_given(made_run):
    """Without Redis, every process of the machine shares one cache. Django's
    file cache culled a random third of its entries at 300, tag versions
    included, so a site read across more than a few dozen pages kept almost
    none (issue 18's storm: 80 reader pages, every one a miss). Another
    process (a second worker) finds each of 1,000 pages fresh."""
    _shell(made_run, KEEP_PAGES.format(count=1000))
    assert _shell(made_run, COUNT_FRESH.format(count=1000)).strip() == "1000"
