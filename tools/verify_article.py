#!/usr/bin/env python3
"""Check a Byline article's provenance the way an outside reader would.

    python verify_article.py https://news.example/world/some-article/

Needs Python 3.11+ and the `cryptography` package, nothing else: it does not
trust the site's code, only the keys the site publishes. It fetches the article,
its signed records (`provenance.json`), the public keys (`/.well-known/jwks.json`)
and the parts of the site-wide log it needs (`/provenance/log.json`), then checks:

- every record's Ed25519 signature (JWS, alg `Ed25519` or its older name `EdDSA`)
  with the key it names, that the key is the one its id names (RFC 7638
  thumbprint) and that the record was signed while the key was in use
  (`valid_from`/`valid_until`), so a retired key cannot add records;
- that the records are in order, none of the article's records is missing
  (`page_prev`), each is the one in the site-wide log, and the log is unbroken
  before each (`prev`), also through records the log withholds (those of
  articles that are not public: the log shows only their hash); that the log's
  signed head is not behind them;
- that the page shows what the latest record signed: the canonical text
  (`content_sha256`) and every field the record signed that the page marks with
  `data-provenance` (type of work, byline, section, dates, and in version 2
  records also dateline, methods, sources and picture captions). The rules are
  Byline's `byline/provenance/canonical.py`, repeated below.

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
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

# --- The canonical text (same rules as byline/provenance/canonical.py) --------

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 header hr li ol p pre section table td th tr ul".split()
)
HIDDEN_TAGS = frozenset({"script", "style"})
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta source track wbr".split()
)
# Unicode White_Space: not Python's `\s`, which JavaScript's does not match.
WHITESPACE_CODE_POINTS = (
    0x0009, 0x000A, 0x000B, 0x000C, 0x000D, 0x0020, 0x0085, 0x00A0, 0x1680,
    0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008,
    0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)  # fmt: skip
WHITESPACE = re.compile(
    "[" + "".join(f"\\u{code:04x}" for code in WHITESPACE_CODE_POINTS) + "]+"
)
LINE_BREAK = re.compile(r"\r\n|\r|\n")
ISO_INSTANT = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)$"
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ALGORITHMS = frozenset({"Ed25519", "EdDSA"})
PAYLOAD_VERSIONS = (1, 2)


def normalise(text):
    return WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")


def _text(value):
    return value if isinstance(value, str) else ""


def one_line(value):
    """What an element showing a one-line field shows."""
    return normalise(_text(value))


def text_lines(value):
    """What an element showing a plain text with line breaks shows."""
    lines = (normalise(line) for line in LINE_BREAK.split(_text(value)))
    return "\n".join(line for line in lines if line)


def instant(value):
    """Milliseconds since 1970 of an ISO 8601 time with its offset, or None."""
    if not isinstance(value, str) or not ISO_INSTANT.match(value):
        return None
    value = re.sub(r"(\.\d{3})\d+", r"\1", value).replace("Z", "+00:00")
    try:
        return (datetime.fromisoformat(value) - EPOCH) // timedelta(milliseconds=1)
    except ValueError:
        return None


class Marked:
    """An element marked `data-provenance`: its lines, attributes, first link."""

    def __init__(self, name, attrs, href):
        self.name, self.attrs, self.href = name, attrs, href
        self.lines, self.words = [], []
        self.depth, self.hidden = 1, 0

    def end_line(self):
        line = normalise("".join(self.words))
        if line:
            self.lines.append(line)
        self.words = []

    @property
    def text(self):
        return "\n".join(self.lines)


class ArticleParts(HTMLParser):
    """Every element marked data-provenance, in page order, and the canonical link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements, self.canonical = [], None
        self._open, self._template = [], 0

    def handle_starttag(self, tag, attrs):
        if self._template:  # a template's content is not part of the page
            self._template += tag == "template"
            return
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        if tag == "template":
            self._template = 1
            return
        for marked in self._open:
            if tag not in VOID_TAGS:
                marked.depth += 1
            if tag in HIDDEN_TAGS:
                marked.hidden += 1
            elif tag in BLOCK_TAGS:
                marked.end_line()
            if tag == "a" and marked.href is None and attrs.get("href") is not None:
                marked.href = attrs["href"]
        name = attrs.get("data-provenance")
        if name and tag not in VOID_TAGS:
            href = attrs.get("href") if tag == "a" else None
            marked = Marked(name, attrs, href)
            self.elements.append(marked)
            self._open.append(marked)

    def handle_startendtag(self, tag, attrs):
        if self._template:
            return
        for marked in self._open:
            if tag in BLOCK_TAGS:
                marked.end_line()

    def handle_endtag(self, tag):
        if self._template:
            self._template -= tag == "template"
            return
        if tag in VOID_TAGS:
            return
        for marked in list(self._open):
            marked.depth -= 1
            if marked.depth == 0:
                marked.end_line()
                self._open.remove(marked)
            elif tag in HIDDEN_TAGS:
                marked.hidden = max(0, marked.hidden - 1)
            elif tag in BLOCK_TAGS:
                marked.end_line()

    def handle_data(self, data):
        if self._template:
            return
        for marked in self._open:
            if not marked.hidden:
                marked.words.append(data)

    def close(self):
        super().close()
        for marked in self._open:
            marked.end_line()
        self._open = []

    def marked(self, name):
        return [e for e in self.elements if e.name == name]

    def lines(self, name):
        return [line for e in self.marked(name) for line in e.lines]


def canonical_text(parts):
    return "\n".join(
        [*parts.lines("headline"), *parts.lines("standfirst"), *parts.lines("body")]
    )


# --- What the page shows against what was signed --------------------------------


def _shows(parts, name, label, expected):
    elements = parts.marked(name)
    if expected and not elements:
        return [f"the signed {label} is not on the page"]
    if any(e.text != expected for e in elements):
        return [f"the {label} on the page is not the signed {label}"]
    return []


def _shows_time(parts, name, label, expected):
    elements = parts.marked(name)
    if expected is not None and not elements:
        return [f"the signed {label} is not on the page"]
    if any(instant(e.attrs.get("datetime")) != expected for e in elements):
        return [f"the {label} on the page is not the signed {label}"]
    return []


def _source_line(source):
    title, publisher = _text(source.get("title")), _text(source.get("publisher"))
    return one_line(f"{title}, {publisher}" if publisher else title)


def page_differences(parts, payload):
    """What the page shows differently from the record's signed fields."""
    version = payload.get("v", 1)
    problems = _shows(parts, "headline", "headline", one_line(payload.get("headline")))
    problems += _shows(parts, "section", "section", one_line(payload.get("section")))
    types = parts.marked("type_of_work")
    if not types or any(
        e.attrs.get("data-value") != payload.get("type_of_work") for e in types
    ):
        problems.append("the type of work on the page is not the signed one")
    authors = payload.get("authors") if isinstance(payload.get("authors"), list) else []
    if [e.text for e in parts.marked("author")] != [one_line(a) for a in authors]:
        problems.append("the byline on the page is not the signed byline")
    published = instant(payload.get("published_at"))
    updated = instant(payload.get("updated_at"))
    later = (
        updated if None not in (published, updated) and updated > published else None
    )
    problems += _shows_time(parts, "published_at", "publication time", published)
    problems += _shows_time(parts, "updated_at", "update time", later)
    if version < 2:
        return problems
    label = one_line(payload.get("type_of_work_label"))
    problems += _shows(parts, "type_of_work", "type of work label", label)
    for name, what in (
        ("dateline", "dateline"),
        ("hero_caption", "picture caption"),
        ("hero_credit", "picture credit"),
    ):
        problems += _shows(parts, name, what, one_line(payload.get(name)))
    methods = text_lines(payload.get("methods"))
    problems += _shows(parts, "methods", "account of how it was reported", methods)
    sources = payload.get("sources") if isinstance(payload.get("sources"), list) else []
    signed = [
        (_source_line(s), _text(s.get("url")) or None)
        for s in sources
        if isinstance(s, dict)
    ]
    if [(e.text, e.href) for e in parts.marked("source")] != signed:
        problems.append("the sources on the page are not the signed sources")
    return problems


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
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise ValueError("header and payload must be JSON objects")
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
            instant(jwk.get("valid_from")),
            instant(jwk.get("valid_until")),
        )
    return keys


def check_token(token, keys, label, verdict):
    """Check one JWS; return its payload, or None after naming the failure."""
    try:
        header, payload, signing_input, signature = decode_jws(token)
    except (ValueError, UnicodeDecodeError):
        verdict.fail(f"{label}: the record is damaged (not a readable JWS)")
        return None
    if not isinstance(header.get("alg"), str) or header["alg"] not in ALGORITHMS:
        verdict.fail(f"{label}: unexpected algorithm {header.get('alg')!r}")
        return None
    kid = header.get("kid")
    if not isinstance(kid, str) or kid not in keys:
        verdict.fail(f"{label}: signed with key {kid}, which the site does not publish")
        return None
    public, valid_from, valid_until = keys[kid]
    try:
        public.verify(signature, signing_input)
    except InvalidSignature:
        verdict.fail(f"{label}: the signature does not verify with key {kid}")
        return None
    signed_at = instant(payload.get("signed_at"))
    if (
        signed_at is None
        or valid_from is None
        or signed_at < valid_from
        or (valid_until is not None and signed_at > valid_until)
    ):
        verdict.fail(
            f"{label}: signed at {payload.get('signed_at')}, outside the time "
            f"key {kid} was in use"
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
        if payload.get("seq") != record.get("seq") or not isinstance(
            payload.get("seq"), int
        ):
            verdict.fail(
                f"{label}: the signed payload says it is record {payload.get('seq')}"
            )
            continue
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


def _entry_hash(entry, verdict):
    """The hash a log entry stands for: computed from its record, or as the log
    gives it for a withheld record (an article that is not public)."""
    if entry.get("withheld"):
        return entry.get("hash")
    computed = token_hash(entry.get("jws", ""))
    if entry.get("hash", computed) != computed:
        verdict.fail(f"log record {entry.get('seq')}: its hash is not its record's")
    return computed


def _check_log(payloads, keys, read_log, verdict):
    head_seq = None
    for record, payload in payloads:
        seq = payload["seq"]
        label = f"record {seq}"
        page = read_log(max(1, seq - 1), 2)
        by_seq = {r.get("seq"): r for r in page.get("records", [])}
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
        before = by_seq.get(seq - 1)
        if seq > 1 and before is None:
            verdict.fail(f"{label}: the log has no record {seq - 1} before it")
        elif payload.get("prev") != (_entry_hash(before, verdict) if before else ""):
            verdict.fail(f"{label}: the site-wide log is broken before it")
        else:
            withheld = before and before.get("withheld")
            verdict.ok(
                f"{label}: in the site-wide log, chained to the record before it"
                + (" (withheld: its article is not public)" if withheld else "")
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
    if latest.get("v", 1) not in PAYLOAD_VERSIONS:
        verdict.fail(
            f"the latest record is of version {latest.get('v')}, which this "
            f"verifier does not know: download the current one from the site"
        )
        return
    page_path = urllib.parse.urlsplit(article_url).path
    if urllib.parse.urlsplit(_text(latest.get("url"))).path != page_path:
        verdict.fail(f"the latest record is for {latest.get('url')}, not this address")
    if parts.canonical and parts.canonical != latest.get("url"):
        verdict.fail(
            f"the page's canonical address {parts.canonical} "
            f"is not the signed {latest.get('url')}"
        )
    problems = page_differences(parts, latest)
    for problem in problems:
        verdict.fail(problem)
    if not problems:
        shown = ["headline", "type of work", "byline", "section", "dates"]
        if latest.get("v", 1) >= 2:
            shown += ["dateline", "methods", "sources", "captions"]
        verdict.ok(f"the page shows the signed {', '.join(shown[:-1])} and {shown[-1]}")
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
