"""Byline's message catalogues, made without GNU gettext or Babel.

Django's `makemessages` reads Python and Django templates with xgettext, which
does not understand Jinja2; every reader page is Jinja2. So the messages are
gathered here: Jinja2 templates with Jinja2's own extractor
(`jinja2.ext.babel_extract`, which needs no Babel), Python with `ast` (calls of
`_`, `gettext`, `gettext_lazy`, `ngettext`, `ngettext_lazy`), and Django
templates (the mails, `templates/**/*.html|txt`) through Django's own
`templatize`, which turns `{% translate %}` and `{% blocktranslate %}` into
`gettext(...)`/`ngettext(...)` calls amid filler, read here with `tokenize`. A catalogue
(`byline/locale/<lang>/LC_MESSAGES/django.po`) keeps its translations across
updates; the `.mo` Django reads is written here too, in GNU's format (the same
bytes for the same catalogue), so neither CI nor an install needs `msgfmt`.
`manage.py update_translations` runs it; tests check that the committed `.mo`
is what this module compiles from the committed `.po`.
"""

import ast
import io
import re
import struct
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import templatize
from jinja2.ext import babel_extract

SOURCE = Path(__file__).resolve().parent.parent  # the byline package
LOCALE = SOURCE / "locale"
FUNCTIONS = {"_": 1, "gettext": 1, "gettext_lazy": 1, "ngettext": 2, "ngettext_lazy": 2}
# Not read for messages: tests, migrations, demo content (articles are
# content, written in the newsroom's language, not interface).
SKIPPED = ("tests", "migrations", "demo", "locale", "management")


@dataclass
class Entry:
    msgid: str
    plural: str = ""
    strings: list = field(default_factory=list)  # msgstr, or msgstr[n]
    places: list = field(default_factory=list)
    flags: set = field(default_factory=set)

    @property
    def key(self):
        return (self.msgid, self.plural)

    @property
    def translated(self):
        return bool(self.strings) and all(self.strings) and "fuzzy" not in self.flags


def _skipped(path):
    return any(part in SKIPPED for part in path.relative_to(SOURCE).parts)


def _calls(source):
    """(line, [string arguments]) of each gettext-like call in `source`, which
    need not be valid Python (templatize fills a template's text with X, B,
    S...), so it is read token by token: a name of FUNCTIONS, "(", then its
    literal strings separated by commas."""
    tokens = [
        token
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT)
    ]
    for at, token in enumerate(tokens):
        wanted = FUNCTIONS.get(token.string) if token.type == tokenize.NAME else None
        if not wanted or at + 1 >= len(tokens) or tokens[at + 1].string != "(":
            continue
        texts, rest = [], tokens[at + 2 :]
        while rest and rest[0].type == tokenize.STRING and len(texts) < wanted:
            texts.append(ast.literal_eval(rest[0].string))
            rest = rest[2:] if len(rest) > 1 and rest[1].string == "," else rest[1:]
        if texts:
            yield token.start[0], texts


def extract():
    """Every message marked for translation, in source order: {key: Entry}."""
    found = {}

    def add(msgid, plural, place):
        if not msgid:
            return
        entry = found.setdefault((msgid, plural), Entry(msgid, plural))
        entry.places.append(place)
        if re.search(r"%\(\w+\)[sd]", msgid + plural):
            entry.flags.add("python-format")

    for path in sorted(SOURCE.glob("**/jinja2/**/*.html")):
        with path.open("rb") as template:
            options = {"trimmed": "true", "newstyle_gettext": "true", "silent": "false"}
            for line, _name, message, _ in babel_extract(
                template, tuple(FUNCTIONS), (), options
            ):
                if isinstance(message, tuple):
                    singular, plural = (list(message) + [None, None])[:2]
                else:
                    singular, plural = message, None
                add(singular, plural or "", f"{path.relative_to(SOURCE)}:{line}")
    django_templates = [
        path
        for suffix in ("html", "txt")
        for path in SOURCE.glob(f"**/templates/**/*.{suffix}")
        if not _skipped(path)
    ]
    for path in sorted(django_templates):
        for line, texts in _calls(templatize(path.read_text(encoding="utf-8"))):
            plural = texts[1] if len(texts) > 1 else ""
            add(texts[0], plural, f"{path.relative_to(SOURCE)}:{line}")
    for path in sorted(SOURCE.glob("**/*.py")):
        if _skipped(path):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            wanted = FUNCTIONS.get(node.func.id)
            texts = [getattr(arg, "value", None) for arg in node.args[:wanted]]
            if wanted and texts and all(isinstance(text, str) for text in texts):
                plural = texts[1] if wanted == 2 and len(texts) > 1 else ""
                add(texts[0], plural, f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


# .po files: the subset Byline writes (and Django's own catalogues use).
def _unquote(text):
    return ast.literal_eval(text)  # a C-style quoted string is a Python one


def read_po(path):
    """(header text, [Entry]) from a .po file; obsolete (#~) entries dropped."""
    entries, header, entry, current = [], "", None, None
    flags, places = set(), []

    def finish():
        nonlocal entry, header
        if entry is None:
            return
        if entry.msgid == "" and not entry.plural:
            header = entry.strings[0] if entry.strings else ""
        else:
            entries.append(entry)
        entry = None

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("#,"):
            finish()
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#:"):
            finish()
            places += line[2:].split()
        elif not line or line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            entry.plural, current = _unquote(line[13:]), "plural"
        elif line.startswith("msgid "):
            finish()
            entry = Entry(_unquote(line[6:]), flags=flags, places=places)
            flags, places, current = set(), [], "msgid"
        elif line.startswith("msgstr"):
            index, _, text = line[6:].partition(" ")
            entry.strings.append(_unquote(text))
            current = "msgstr"
        elif line.startswith('"'):
            text = _unquote(line)
            if current == "msgid":
                entry.msgid += text
            elif current == "plural":
                entry.plural += text
            else:
                entry.strings[-1] += text
    finish()
    return header, entries


def _quoted(text, width=76):
    """A .po string: one line, or "" then lines broken after spaces and \\n."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    ).replace("\n", "\\n")
    if len(escaped) <= width and "\\n" not in escaped[:-2]:
        return f'"{escaped}"'
    pieces = re.findall(r".*?(?:\\n|\s|$)", escaped)
    lines, line = [], ""
    for piece in pieces:
        if line and (len(line) + len(piece) > width or line.endswith("\\n")):
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return '""\n' + "\n".join(f'"{line}"' for line in lines if line)


def write_po(path, header, entries):
    out = ["msgid " + '""', "msgstr " + _quoted(header), ""]
    for entry in entries:
        for place in entry.places:
            out.append(f"#: {place}")
        if entry.flags:
            out.append("#, " + ", ".join(sorted(entry.flags)))
        out.append("msgid " + _quoted(entry.msgid))
        if entry.plural:
            out.append("msgid_plural " + _quoted(entry.plural))
            strings = entry.strings or ["", ""]
            out += [f"msgstr[{n}] " + _quoted(text) for n, text in enumerate(strings)]
        else:
            out.append("msgstr " + _quoted((entry.strings or [""])[0]))
        out.append("")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(out), encoding="utf-8")


def merge(old_entries, found):
    """The catalogue for `found` messages, keeping `old_entries`' translations
    (and their fuzzy marks); messages no longer in the code are dropped."""
    old = {entry.key: entry for entry in old_entries}
    merged = []
    for key, new in found.items():
        kept = old.get(key)
        strings = kept.strings if kept else []
        flags = set(new.flags) | ({"fuzzy"} & (kept.flags if kept else set()))
        merged.append(Entry(new.msgid, new.plural, list(strings), new.places, flags))
    return merged


def compile_mo(header, entries):
    """GNU .mo bytes for the translated, non-fuzzy entries (as msgfmt does)."""
    pairs = {"": header}
    for entry in entries:
        if not entry.translated:
            continue
        key = entry.msgid + ("\0" + entry.plural if entry.plural else "")
        pairs[key] = "\0".join(entry.strings)
    keys = sorted(pairs)
    ids = [key.encode() for key in keys]
    strs = [pairs[key].encode() for key in keys]
    count = len(keys)
    start = 7 * 4 + 16 * count  # after the header and the two tables
    offsets, data = [], b""
    for blob in ids + strs:
        offsets.append((len(blob), start + len(data)))
        data += blob + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, count, 7 * 4, 7 * 4 + 8 * count, 0, start)
    tables = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    return head + tables + data


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def languages():
    return sorted(path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/*.po"))


def update(language, found=None):
    """Bring one language's catalogue up to date with the code; write its .mo.
    Returns the entries still untranslated (or fuzzy)."""
    found = extract() if found is None else found
    path = po_path(language)
    header, old = read_po(path) if path.exists() else (new_header(language), [])
    entries = merge(old, found)
    write_po(path, header, entries)
    path.with_suffix(".mo").write_bytes(compile_mo(header, entries))
    return [entry for entry in entries if not entry.translated]


def new_header(language):
    return (
        "Project-Id-Version: Byline\n"
        f"Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=2; plural=(n != 1);\n"
    )


def stale(language, found=None):
    """What is out of date in one language's catalogue: messages of the code it
    lacks, messages it has no translation for (or a fuzzy one), a .mo that is
    not its .po compiled. Empty when all is well."""
    found = extract() if found is None else found
    path = po_path(language)
    if not path.exists():
        return [f"{language}: no catalogue at {path}"]
    header, entries = read_po(path)
    have = {entry.key for entry in entries}
    problems = [
        f"{language}: not in the catalogue: {key[0]!r}"
        for key in found
        if key not in have
    ]
    for entry in entries:
        if not entry.translated:
            state = "fuzzy" if "fuzzy" in entry.flags else "untranslated"
            problems.append(f"{language}: {state}: {entry.msgid!r}")
    mo = path.with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != compile_mo(header, entries):
        problems.append(f"{language}: {mo} is not {path.name} compiled")
    return problems
