"""Prepare a local install's var/ the way `make run` does.

    python -m byline.localenv --site-url http://127.0.0.1:8000

Generates, once, the secret key (var/secret_key) and the Ed25519 key that signs
published articles (var/provenance/signing-key.pem), and writes var/.env (mode
0600) naming them and the site's address. Settings load var/.env when it exists,
environment variables winning (byline/config.py, `load_env_file`), so
`manage.py createsuperuser`, `import_articles` or `backup` work as they stand
after `make run`, with DEBUG still off. Runs before Django is set up: the
settings need what it writes.
"""

import argparse
import os
import secrets
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from byline.config import check_site_url, env_str
from byline.provenance import keyfile

BASE_DIR = Path(__file__).resolve().parent.parent


def _write_private(path, text):
    """Write text to path readable by its owner only, replacing it at once."""
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(text)
    os.replace(temporary, path)


def prepare(var_dir, site_url):
    """Create var_dir's secrets if missing and (re)write var_dir/.env."""
    var_dir = Path(var_dir).resolve()
    # It holds the database, secrets and backups: its owner's alone.
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    secret = var_dir / "secret_key"
    if not secret.exists():
        _write_private(secret, secrets.token_urlsafe(50) + "\n")
    key = var_dir / "provenance" / "signing-key.pem"
    if not key.exists():
        keyfile.create(key)
    values = {
        "SECRET_KEY": secret.read_text().strip(),
        "PROVENANCE_SIGNING_KEY_FILE": str(key),
        "SITE_URL": check_site_url("--site-url", site_url),
    }
    for name, value in values.items():
        if "'" in value or "\n" in value:
            raise SystemExit(f"{name} cannot be written to .env: {value!r}")
    lines = [
        "# Written by `make run` (python -m byline.localenv), read by settings.",
        "# Environment variables win over these values.",
        *(f"{name}='{value}'" for name, value in values.items()),
    ]
    _write_private(var_dir / ".env", "\n".join(lines) + "\n")
    return var_dir / ".env"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-url", required=True, help="http://127.0.0.1:8000")
    args = parser.parse_args(argv)
    var_dir = env_str("BYLINE_VAR_DIR", str(BASE_DIR / "var"))
    try:
        written = prepare(var_dir, args.site_url)
    except ImproperlyConfigured as error:
        raise SystemExit(str(error)) from None
    sys.stdout.write(f"Local settings in {written}\n")


if __name__ == "__main__":
    main()
