"""Compact JWS (RFC 7515) with Ed25519 signatures.

New records name the algorithm `Ed25519`, its fully-specified name (RFC 9864);
records signed earlier say `EdDSA` (RFC 8037), which means the same signature
here. Records keep the name they were signed with, so every verifier accepts both.

The signature itself is `cryptography`'s; this module only does the JOSE framing:
base64url without padding around a protected header, the payload and the signature.
"""

import base64
import functools
import hashlib
import json

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALGORITHM = "Ed25519"
ALGORITHMS = frozenset({"Ed25519", "EdDSA"})


class InvalidJWS(ValueError):
    """The token is malformed or its signature does not verify."""


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise InvalidJWS(f"not base64url: {exc}") from None


# JSON numbers that RFC 8785 writes as integers (IEEE 754 doubles are exact to here).
SAFE_INTEGER = 2**53 - 1


def canonical_json(value):
    """RFC 8785 (JCS) bytes of a JSON value.

    For values made of strings, safe integers, booleans, nulls, lists and
    objects with keys in the Basic Multilingual Plane (every payload we sign),
    the standard library's encoder writes the same bytes as JCS, in C: keys in
    code point order (UTF-16 order within the BMP), and only `"`, `\\` and
    control characters escaped, those as JCS escapes them. Anything else
    (floats, large integers, lone surrogates) goes to the `rfc8785` package,
    which was a third of signing's time. test_jws compares the two.
    """
    if _plain(value):
        text = json.dumps(
            value, ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: rfc8785 refuses it
            pass
    return rfc8785.dumps(value)


def _plain(value):
    kind = type(value)
    # Text choices (str subclasses) are written as their text by both.
    if isinstance(value, str) or kind is bool or value is None:
        return True
    if kind is int:
        return -SAFE_INTEGER <= value <= SAFE_INTEGER
    if kind is list or kind is tuple:
        return all(_plain(item) for item in value)
    if kind is dict:
        return all(
            type(key) is str and (key.isascii() or max(key) <= "\uffff")
            for key in value
        ) and all(_plain(item) for item in value.values())
    return False


def sign(payload, private_key, kid):
    """Return the compact JWS of a JSON payload, canonicalised with JCS."""
    signing_input = f"{_header(kid)}.{b64url(canonical_json(payload))}"
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url(signature)}"


@functools.lru_cache(maxsize=16)
def _header(kid):
    """The encoded protected header, the same for every token of a key (an
    import signs a million with one)."""
    return b64url(canonical_json({"alg": ALGORITHM, "kid": kid, "typ": "JWT"}))


def parts(token):
    """Return (header, payload, signing input bytes, signature) of a compact JWS."""
    pieces = token.split(".")
    if len(pieces) != 3:
        raise InvalidJWS("a compact JWS has three parts separated by dots")
    try:
        header = json.loads(b64url_decode(pieces[0]))
        payload = json.loads(b64url_decode(pieces[1]))
    except ValueError as exc:
        raise InvalidJWS(f"header or payload is not JSON: {exc}") from None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise InvalidJWS("header and payload must be JSON objects")
    return (
        header,
        payload,
        f"{pieces[0]}.{pieces[1]}".encode("ascii"),
        b64url_decode(pieces[2]),
    )


def verify(token, public_keys):
    """Check a compact JWS against {kid: Ed25519PublicKey}; return (header, payload)."""
    header, payload, signing_input, signature = parts(token)
    if not isinstance(header.get("alg"), str) or header["alg"] not in ALGORITHMS:
        raise InvalidJWS(f"unexpected algorithm {header.get('alg')!r}")
    kid = header.get("kid")
    key = public_keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise InvalidJWS(f"unknown key id {header.get('kid')!r}")
    try:
        key.verify(signature, signing_input)
    except InvalidSignature:
        raise InvalidJWS("the signature does not verify") from None
    return header, payload


def token_hash(token):
    """SHA-256 hex of a compact JWS: what the next record's `prev` holds."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def public_key_from_jwk(jwk):
    if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
        raise InvalidJWS("only OKP Ed25519 keys are used")
    return Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
