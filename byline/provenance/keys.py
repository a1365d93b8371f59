"""The site's current signing key: loaded from its file, registered as public.

The private key is read from PROVENANCE_SIGNING_KEY_FILE (created on first use
only when PROVENANCE_CREATE_KEY is on: development and the local `make run`
install). A key id is the RFC 7638 thumbprint of the public key, so one id always
names one public key; public keys are cached per process by id for that reason.
Rotation writes a new key over the file; every process notices the file changed
on its next signature.
"""

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from byline.provenance import keyfile
from byline.provenance.jws import public_key_from_jwk
from byline.provenance.models import SigningKey
from byline.provenance.records import lock_log

_lock = threading.Lock()
_current = {"stamp": None, "key": None, "jwk": None}
_registered = set()
_public_keys = {}


class RetiredKeyError(ImproperlyConfigured):
    """The key file holds a key that was rotated out."""


def key_path():
    return Path(settings.PROVENANCE_SIGNING_KEY_FILE)


def _load():
    path = key_path()
    if not path.exists():
        if not settings.PROVENANCE_CREATE_KEY:
            raise ImproperlyConfigured(
                f"PROVENANCE_SIGNING_KEY_FILE={path} does not exist; create it with "
                f"`python -m byline.provenance.keyfile {path}`."
            )
        keyfile.create(path)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    with _lock:
        if _current["stamp"] != stamp:
            try:
                key = keyfile.load(path)
            except ValueError as exc:
                raise ImproperlyConfigured(str(exc)) from None
            _current.update(stamp=stamp, key=key, jwk=keyfile.public_jwk(key))
        return _current["key"], _current["jwk"]


def check_key_file():
    """Fail at start-up, naming the variable, when the key cannot be read."""
    _load()


def signing_key(now=None):
    """Return (private key, kid) for signing at `now` (the current time by
    default), registering a new key first, valid from that moment: a record
    dated before its key's start would not verify."""
    key, jwk = _load()
    kid = jwk["kid"]
    if kid not in _registered:
        _register(kid, jwk, now)
        # Remember only once the row is committed: a rolled-back publication
        # must not leave this process signing with an unpublished key.
        transaction.on_commit(lambda: _registered.add(kid))
    return key, kid


def _register(kid, jwk, now=None):
    now = now or timezone.now()
    public = {k: v for k, v in jwk.items() if k != "kid"}
    with transaction.atomic():
        row, created = SigningKey.objects.get_or_create(
            kid=kid, defaults={"public_jwk": public, "valid_from": now}
        )
        if created:
            SigningKey.objects.filter(valid_until__isnull=True).exclude(
                pk=row.pk
            ).update(valid_until=now)
        elif row.valid_until is not None:
            raise RetiredKeyError(
                f"the signing key {kid} in {key_path()} was retired on "
                f"{row.valid_until:%Y-%m-%d %H:%M}; run `manage.py rotate_signing_key`."
            )


def rotate():
    """Make a new key current; return (old kid or None, new kid)."""
    with transaction.atomic():
        # No record is signed while keys change hands: a record signed with the
        # old key after its `valid_until` would fail every verifier.
        lock_log()
        previous = SigningKey.objects.filter(valid_until__isnull=True).first()
        key = keyfile.create(key_path())
        jwk = keyfile.public_jwk(key)
        _register(jwk["kid"], jwk)
    return (previous.kid if previous else None), jwk["kid"]


def public_keys(kids):
    """Return {kid: Ed25519PublicKey} for the ids asked for that are published."""
    missing = [kid for kid in kids if kid not in _public_keys]
    if missing:
        for row in SigningKey.objects.filter(kid__in=missing):
            _public_keys[row.kid] = public_key_from_jwk(row.public_jwk)
    return {kid: _public_keys[kid] for kid in kids if kid in _public_keys}


@dataclass(frozen=True)
class PublishedKey:
    """A public key and the time it was in use, as /.well-known/jwks.json says."""

    public: object  # Ed25519PublicKey
    valid_from: datetime
    valid_until: datetime | None

    def in_use_at(self, moment):
        if moment < self.valid_from:
            return False
        return self.valid_until is None or moment <= self.valid_until


def published(kids):
    """Return {kid: PublishedKey} for the ids asked for that are published.

    The time range is read every time (a rotation ends it); the public key is
    kept per process like `public_keys`.
    """
    found = {}
    rows = SigningKey.objects.filter(kid__in=set(kids)).values_list(
        "kid", "public_jwk", "valid_from", "valid_until"
    )
    for kid, jwk, valid_from, valid_until in rows:
        if kid not in _public_keys:
            _public_keys[kid] = public_key_from_jwk(jwk)
        found[kid] = PublishedKey(_public_keys[kid], valid_from, valid_until)
    return found


def forget():
    """Drop what this process remembers (tests switch key files)."""
    with _lock:
        _current.update(stamp=None, key=None, jwk=None)
    _registered.clear()
    _public_keys.clear()
