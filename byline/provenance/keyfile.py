"""Ed25519 signing keys on disk, and their public JWK (RFC 7517, 8037) and id.

Standard library and `cryptography` only, so `make run` can create the local
install's key before Django starts (`python -m byline.provenance.keyfile PATH`).
"""

import hashlib
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from byline.provenance.jws import b64url


def create(path):
    """Write a new private key (PKCS#8 PEM, mode 0600) atomically; return it."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # new folders private
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    temporary = path.with_name(path.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    os.replace(temporary, path)
    return key


def load(path):
    """Read a private key; the error names the file and says what is wrong."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read signing key {path}: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError:
        raise ValueError(f"{path} is not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds a key that is not Ed25519")
    return key


def public_jwk(key):
    """The public half as a JWK with its RFC 7638 thumbprint as `kid`."""
    raw = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    jwk = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}
    # RFC 7638: SHA-256 of the required members, sorted, without whitespace.
    members = json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode()
    return {**jwk, "kid": b64url(hashlib.sha256(members).digest())}


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if not target.exists():
        create(target)
