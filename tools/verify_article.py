#!/usr/bin/env python3
"""Check a Byline article's provenance the way an outside reader would.

    python verify_article.py https://news.example/world/some-article/

Needs Python 3.11+ and the `cryptography` package, nothing else: it does not
trust the site's code, only the keys the site publishes. It fetches the article,
its signed records (`provenance.json`), the public keys (`/.well-known/jwks.json`)
and the parts of the site-wide log it needs (`/provenance/log.json`), then checks:

- every record's Ed25519 signature (JWS, alg EdDSA) with the key it names, that
  the key is the one its id names (RFC 7638 thumbprint) and was in use then;
- that the records are in order, none of the article's records is missing
  (`page_prev`), each is the one in the site-wide log, and the log is unbroken
  before each (`prev`); that the log's signed head is not behind them;
- that the page's visible headline and text are what the latest record signed
  (`content_sha256` of the canonical text, defined in Byline's
  `byline/provenance/canonical.py` and repeated below).

It prints one line per check and a verdict, and exits 0 when everything holds,
1 when anything fails, 2 when the site cannot be read.
"""

import argparse
import base64
import hashlib
import http.client
import json
import re
import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from html.parser import HTMLParser

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# --- The canonical text (same rules as byline/provenance/canonical.py) --------

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hr li ol p pre section table td th tr ul".split()
)
HIDDEN_TAGS = frozenset({"script", "style", "template"})
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)
WHITESPACE = re.compile(r"\s+")


def normalise(text):
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


class _Lines:
    def __init__(self):
        self.lines, self.words = [], []

    def end_line(self):
        line = normalise("".join(self.words))
        if line:
            self.lines.append(line)
        self.words = []


class ArticleParts(HTMLParser):
    """The lines of the elements marked data-provenance, and the canonical link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.canonical = {}, None
        self._current, self._depth, self._hidden = None, 0, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        if self._current is None:
            name = attrs.get("data-provenance")
            if name and tag not in VOID_TAGS:
                self._current = self.parts.setdefault(name, _Lines())
                self._depth = 1
            return
        if tag not in VOID_TAGS:
            self._depth += 1
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag in BLOCK_TAGS:
            self._current.end_line()

    def handle_startendtag(self, tag, attrs):
        if self._current is not None and tag in BLOCK_TAGS:
            self._current.end_line()

    def handle_endtag(self, tag):
        if self._current is None or tag in VOID_TAGS:
            return
        self._depth -= 1
        if self._depth == 0:
            self._current.end_line()
            self._current = None
            return
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self._current.end_line()

    def handle_data(self, data):
        if self._current is not None and not self._hidden:
            self._current.words.append(data)

    def lines(self, name):
        part = self.parts.get(name)
        return part.lines if part else []


def canonical_text(parts):
    return "\n".join(
        [*parts.lines("headline"), *parts.lines("standfirst"), *parts.lines("body")]
    )


# --- JOSE ---------------------------------------------------------------------


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def decode_jws(token):
    """Return (header, payload, signing input, signature) or raise ValueError."""
    pieces = token.split(".")
    if len(pieces) != 3:
        raise ValueError("not a compact JWS")
    header = json.loads(b64url_decode(pieces[0]))
    payload = json.loads(b64url_decode(pieces[1]))
    return (
        header,
        payload,
        f"{pieces[0]}.{pieces[1]}".encode("ascii"),
        b64url_decode(pieces[2]),
    )


def token_hash(token):
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def thumbprint(jwk):
    required = {"crv": jwk.get("crv"), "kty": jwk.get("kty"), "x": jwk.get("x")}
    members = json.dumps(required, sort_keys=True, separators=(",", ":")).encode()
    return b64url(hashlib.sha256(members).digest())


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


# --- The checks -----------------------------------------------------------------


class Verdict:
    def __init__(self):
        self.passed, self.problems = [], []

    def ok(self, message):
        self.passed.append(message)

    def fail(self, message):
        self.problems.append(message)

    @property
    def verified(self):
        return not self.problems and bool(self.passed)

    def report(self):
        lines = [f"  ok    {m}" for m in self.passed]
        lines += [f"  FAIL  {m}" for m in self.problems]
        if self.verified:
            lines.append(
                "VERIFIED: every signature, the chain and the page's text hold."
            )
        else:
            lines.append(f"NOT VERIFIED: {len(self.problems)} problem(s) found.")
        return "\n".join(lines)


def load_keys(jwks, verdict):
    keys = {}
    for jwk in jwks.get("keys", []):
        kid = jwk.get("kid")
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519":
            continue
        if thumbprint(jwk) != kid:
            verdict.fail(f"published key {kid} is not the key its id names")
            continue
        try:
            public = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
        except ValueError:
            verdict.fail(f"published key {kid} is not a valid Ed25519 key")
            continue
        keys[kid] = (
            public,
            parse_time(jwk.get("valid_from")),
            parse_time(jwk.get("valid_until")),
        )
    return keys


def check_token(token, keys, label, verdict):
    """Check one JWS; return its payload, or None after naming the failure."""
    try:
        header, payload, signing_input, signature = decode_jws(token)
    except (ValueError, UnicodeDecodeError):
        verdict.fail(f"{label}: the record is damaged (not a readable JWS)")
        return None
    if header.get("alg") != "EdDSA":
        verdict.fail(f"{label}: unexpected algorithm {header.get('alg')!r}")
        return None
    kid = header.get("kid")
    if kid not in keys:
        verdict.fail(f"{label}: signed with key {kid}, which the site does not publish")
        return None
    public, valid_from, valid_until = keys[kid]
    try:
        public.verify(signature, signing_input)
    except InvalidSignature:
        verdict.fail(f"{label}: the signature does not verify with key {kid}")
        return None
    signed_at = parse_time(payload.get("signed_at"))
    if signed_at and (
        (valid_from and signed_at < valid_from)
        or (valid_until and signed_at > valid_until)
    ):
        verdict.fail(
            f"{label}: signed at {signed_at} outside the time key {kid} was in use"
        )
        return None
    return payload


def verify(article_url, html, bundle, jwks, read_log):
    """Check everything; read_log(from_seq, limit) returns the log JSON page."""
    verdict = Verdict()
    keys = load_keys(jwks, verdict)
    parts = ArticleParts()
    parts.feed(html)
    parts.close()
    records = bundle.get("records", [])
    if not records:
        verdict.fail("the site publishes no signed record for this article")
        return verdict

    payloads, page_prev, last_seq = [], "", 0
    for position, record in enumerate(records, 1):
        label = f"record {record.get('seq', position)}"
        payload = check_token(record.get("jws", ""), keys, label, verdict)
        if payload is None:
            page_prev = token_hash(record.get("jws", ""))
            continue
        verdict.ok(
            f"{label}: signature valid "
            f"({payload.get('event')} {payload.get('signed_at')})"
        )
        if payload.get("seq") != record.get("seq"):
            verdict.fail(
                f"{label}: the signed payload says it is record {payload.get('seq')}"
            )
        if payload["seq"] <= last_seq:
            verdict.fail(
                f"{label}: records are out of order (it comes after record {last_seq})"
            )
        if payload.get("page_prev") != page_prev:
            verdict.fail(
                f"{label}: the article's previous record is missing or was replaced"
            )
        if payloads and payload.get("page_id") != payloads[0][1].get("page_id"):
            verdict.fail(
                f"{label}: belongs to another article (page {payload.get('page_id')})"
            )
        last_seq = max(last_seq, payload["seq"])
        page_prev = token_hash(record["jws"])
        payloads.append((record, payload))

    _check_log(payloads, keys, read_log, verdict)
    _check_page(article_url, parts, records, payloads, verdict)
    return verdict


def _check_log(payloads, keys, read_log, verdict):
    head_seq = None
    for record, payload in payloads:
        seq = payload["seq"]
        label = f"record {seq}"
        page = read_log(max(1, seq - 1), 2)
        by_seq = {r["seq"]: r for r in page.get("records", [])}
        if head_seq is None:
            head = page.get("head", {})
            head_payload = check_token(head.get("jws", ""), keys, "log head", verdict)
            if head_payload is not None:
                head_seq = head_payload.get("seq", 0)
                verdict.ok(
                    f"log head signed: {head_seq} records, "
                    f"latest {head_payload.get('hash', '')[:12]}…"
                )
        logged = by_seq.get(seq)
        if logged is None or logged.get("jws") != record["jws"]:
            verdict.fail(f"{label}: differs from the site-wide log")
            continue
        expected = (
            token_hash(by_seq[seq - 1]["jws"]) if seq > 1 and seq - 1 in by_seq else ""
        )
        if seq > 1 and seq - 1 not in by_seq:
            verdict.fail(f"{label}: the log has no record {seq - 1} before it")
        elif payload.get("prev") != expected:
            verdict.fail(f"{label}: the site-wide log is broken before it")
        else:
            verdict.ok(
                f"{label}: in the site-wide log, chained to the record before it"
            )
        if head_seq is not None and head_seq < seq:
            verdict.fail(f"{label}: the signed log head ({head_seq}) is behind it")


def _check_page(article_url, parts, records, payloads, verdict):
    if not payloads or payloads[-1][0] is not records[-1]:
        verdict.fail("the latest record could not be checked, so the page cannot be")
        return
    latest = payloads[-1][1]
    if latest.get("event") != "published":
        verdict.fail(
            f"the article was withdrawn "
            f"({latest.get('event')} {latest.get('signed_at')})"
        )
        return
    page_path = urllib.parse.urlsplit(article_url).path
    if urllib.parse.urlsplit(latest.get("url", "")).path != page_path:
        verdict.fail(f"the latest record is for {latest.get('url')}, not this address")
    if parts.canonical and parts.canonical != latest.get("url"):
        verdict.fail(
            f"the page's canonical address {parts.canonical} "
            f"is not the signed {latest.get('url')}"
        )
    headline = "\n".join(parts.lines("headline"))
    if headline != normalise(latest.get("headline", "")):
        verdict.fail(f"the headline on the page ({headline!r}) is not the signed one")
    else:
        verdict.ok("the headline on the page is the signed headline")
    digest = hashlib.sha256(canonical_text(parts).encode("utf-8")).hexdigest()
    if digest != latest.get("content_sha256"):
        verdict.fail(
            "the text on the page differs from the signed text (content_sha256)"
        )
    else:
        verdict.ok(f"the text on the page is the signed text (sha256 {digest[:12]}…)")


# --- Fetching -------------------------------------------------------------------


def fetch(url):
    request = urllib.request.Request(url, headers={"User-Agent": "byline-verify/1"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def verify_url(article_url):
    if not article_url.endswith("/"):
        article_url += "/"
    html = fetch(article_url).decode("utf-8")
    bundle = json.loads(fetch(urllib.parse.urljoin(article_url, "provenance.json")))
    jwks = json.loads(
        fetch(urllib.parse.urljoin(article_url, "/.well-known/jwks.json"))
    )
    log_url = urllib.parse.urljoin(article_url, "/provenance/log.json")

    def read_log(start, limit):
        return json.loads(fetch(f"{log_url}?from={start}&limit={limit}"))

    return verify(article_url, html, bundle, jwks, read_log)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the article's address")
    args = parser.parse_args(argv)
    try:
        verdict = verify_url(args.url)
    except (
        urllib.error.URLError,
        http.client.HTTPException,
        OSError,
        ValueError,
    ) as exc:
        print(f"CANNOT VERIFY: could not read {args.url}: {exc}")
        return 2
    print(f"Provenance of {args.url}")
    print(verdict.report())
    return 0 if verdict.verified else 1


if __name__ == "__main__":
    sys.exit(main())
