"""Compare two folders of rendered pages (tools/page_snapshots.py), markup only.

    python tools/compare_snapshots.py /tmp/before /tmp/after

Each page is parsed (html.parser) and written back as one tag or text a line:
attributes sorted, runs of whitespace in text made one space, empty text
dropped. What changes from one render to the next is blanked first: CSRF
tokens, nonces, signed tokens in links, times and dates that read the clock.
Prints a unified diff of each page that differs and exits 1 if any does.
"""

import difflib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

# Values that differ between two renders of the same page.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]*'), r"\1NONCE"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"), "ISO"),
    (re.compile(r"\b\d{1,2} [A-Z][a-z]+ \d{4}(, \d\d:\d\d( [A-Z]{2,5})?)?"), "DATE"),
    (re.compile(r"\b\d\d:\d\d\b"), "HH:MM"),
    # Signed tokens (django.core.signing) in links and hidden fields.
    (re.compile(r"[\w-]{10,}:[\w-]{5,}(:[\w-]{20,})+"), "SIGNED"),
    (re.compile(r"\b\d+ (second|minute|hour|day)s? ago\b"), "AGO"),
    # Each run signs with a fresh key: signatures, key ids, hashes of records.
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+"), "JWS"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "SHA256"),
    (re.compile(r"(key <code>)[^<]*"), r"\1KID"),
    (re.compile(r"(<li><code>)[\w-]{20,}(</code>, in use from)"), r"\1KID\2"),
]
VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr", "area", "col"}


class Lines(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines = []

    def handle_starttag(self, tag, attrs):
        attrs = " ".join(f'{k}="{v}"' if v is not None else k for k, v in sorted(attrs))
        self.lines.append(f"<{tag}{' ' if attrs else ''}{attrs}>")

    def handle_endtag(self, tag):
        if tag not in VOID:
            self.lines.append(f"</{tag}>")

    def handle_data(self, data):
        text = " ".join(data.split())
        if text:
            self.lines.append(text)

    def handle_decl(self, decl):
        self.lines.append(f"<!{decl.lower()}>")


def normalised(html):
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    parser = Lines()
    parser.feed(html)
    parser.close()
    return parser.lines


def main(before, after):
    before, after = Path(before), Path(after)
    names = sorted(
        {p.name for p in before.glob("*.html")} | {p.name for p in after.glob("*.html")}
    )
    differing = 0
    for name in names:
        old, new = before / name, after / name
        if not old.exists() or not new.exists():
            print(f"{name}: only in {'after' if new.exists() else 'before'}")
            differing += 1
            continue
        a = normalised(old.read_text())
        b = normalised(new.read_text())
        if a != b:
            differing += 1
            print(
                "".join(
                    difflib.unified_diff(
                        [x + "\n" for x in a],
                        [x + "\n" for x in b],
                        f"before/{name}",
                        f"after/{name}",
                        n=2,
                    )
                )
            )
    print(f"{len(names)} pages compared, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
