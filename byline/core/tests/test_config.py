"""Settings come from the environment, and bad values stop the process by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from byline import config

ROOT = Path(__file__).resolve().parents[3]
# Long and varied enough for DEBUG off (config.check_secret).
REAL_LOOKING_KEY = "t3st-k3y-" + "q7Zr2Lx9Vw4Mp8Nc" * 3


def test_env_bool_reads_common_words(monkeypatch):
    """DEBUG=yes / off / 1 / 0 are understood."""
    for word, expected in [("yes", True), ("off", False), ("1", True), ("0", False)]:
        monkeypatch.setenv("FLAG", word)
        assert config.env_bool("FLAG") is expected


def test_env_bool_rejects_unknown_word_naming_the_variable(monkeypatch):
    """A typo such as DEBUG=ture is an error that names DEBUG."""
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        config.env_bool("DEBUG")


def test_env_int_rejects_non_numbers_and_values_below_minimum(monkeypatch):
    """EMAIL_PORT=abc and EMAIL_PORT=0 are both refused by name."""
    monkeypatch.setenv("EMAIL_PORT", "abc")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        config.env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("EMAIL_PORT", "0")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        config.env_int("EMAIL_PORT", 25, minimum=1)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    """ALLOWED_HOSTS='a.example, ,b.example' gives two hosts."""
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example, ,b.example")
    assert config.env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_database_url_parses_postgres():
    """A PostgreSQL URL becomes a Django database entry."""
    entry = config.database_from_url(
        "DATABASE_URL", "postgres://u:p@db.example:5432/news"
    )
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert entry["NAME"] == "news"
    assert entry["HOST"] == "db.example"


def test_database_url_rejects_unknown_scheme():
    """DATABASE_URL=mysql://… is refused with the variable's name."""
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        config.database_from_url("DATABASE_URL", "mysql://root@localhost/news")


def test_redis_url_rejects_non_redis_scheme(monkeypatch):
    """REDIS_URL=http://… is refused with the variable's name."""
    monkeypatch.setenv("REDIS_URL", "http://localhost:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        config.redis_url("REDIS_URL")


def _start_django(**env):
    unset = {"SECRET_KEY", "DEBUG", "PROVENANCE_SIGNING_KEY_FILE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env, DJANGO_SETTINGS_MODULE="byline.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    """With DEBUG off and no SECRET_KEY, start-up fails and says SECRET_KEY."""
    result = _start_django(DEBUG="0", BYLINE_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_malformed_database_url_stops_start_up(tmp_path):
    """A DATABASE_URL with a wrong scheme stops start-up and names DATABASE_URL."""
    result = _start_django(
        DEBUG="0",
        SECRET_KEY=REAL_LOOKING_KEY,
        DATABASE_URL="mysql://x@y/z",
        BYLINE_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def _signing_key(tmp_path):
    from byline.provenance import keyfile

    path = tmp_path / "signing-key.pem"
    keyfile.create(path)
    return str(path)


def test_production_starts_with_its_secrets(tmp_path):
    """DEBUG off with SECRET_KEY and a signing key set starts cleanly."""
    result = _start_django(
        DEBUG="0",
        SECRET_KEY=REAL_LOOKING_KEY,
        BYLINE_VAR_DIR=str(tmp_path),
        PROVENANCE_SIGNING_KEY_FILE=_signing_key(tmp_path),
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_signing_key(tmp_path):
    """No key variable, or a key file that is missing or not a key: start-up
    fails and names what to fix, rather than publishing unsigned articles."""
    base = {
        "DEBUG": "0",
        "SECRET_KEY": REAL_LOOKING_KEY,
        "BYLINE_VAR_DIR": str(tmp_path),
    }
    unset = _start_django(**base)
    assert unset.returncode != 0
    assert "PROVENANCE_SIGNING_KEY_FILE must be set" in unset.stderr
    missing = _start_django(
        **base, PROVENANCE_SIGNING_KEY_FILE=str(tmp_path / "no.pem")
    )
    assert missing.returncode != 0 and "does not exist" in missing.stderr
    (tmp_path / "bad.pem").write_text("not a key")
    bad = _start_django(**base, PROVENANCE_SIGNING_KEY_FILE=str(tmp_path / "bad.pem"))
    assert bad.returncode != 0 and "not an unencrypted PEM private key" in bad.stderr


def test_development_needs_no_signing_key_configuration(tmp_path):
    """DEBUG on creates the key under var/ when it first signs something."""
    result = _start_django(DEBUG="1", BYLINE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    # Created on first signature, not at start-up: nothing signed yet.
    assert not (tmp_path / "provenance" / "signing-key.pem").exists()


def test_development_starts_without_secret_key(tmp_path):
    """DEBUG on uses a throwaway key, so `make dev` needs no configuration."""
    result = _start_django(DEBUG="1", BYLINE_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr


def test_apps_read_settings_without_defaults_of_their_own():
    """Every setting has its one default in byline/settings.py: no module of an app
    reads one with `getattr(settings, NAME, default)`, a second default that
    would silently disagree with the first."""
    import ast

    scattered = []
    for path in sorted((ROOT / "byline").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "settings"
            ):
                scattered.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert scattered == []
