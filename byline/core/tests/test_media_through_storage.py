"""Media is read and written through Django's storage API only, never by a
local path: with AWS_STORAGE_BUCKET_NAME set there is no file under MEDIA_ROOT,
and a `.path`, an `open()` on MEDIA_ROOT or Pillow opening a file name would
fail on every node (README, "Running several nodes")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SEARCHED = ["byline", "bench", "tools"]
# Where the local folder is the point: Django serving uploads for the local
# install on local files only (SERVE_MEDIA), and check_storage naming it.
ALLOWED = {
    ("byline/urls.py", "MEDIA_ROOT"),
    ("byline/operations/storage_check.py", "MEDIA_ROOT"),
}
PATTERNS = {
    "MEDIA_ROOT": re.compile(r"\bsettings\.MEDIA_ROOT\b"),
    ".path of a file": re.compile(r"\b(file|rendition|image|photo|storage)\.path\b"),
    "storage.path()": re.compile(r"storage\(?\)?\.path\("),
    "Pillow or Willow opening a name": re.compile(
        r"\bImage\.open\((?!\s*(io\.)?BytesIO\(|\s*\w+\.file\b)"
    ),
}


def _sources():
    for folder in SEARCHED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative:
                continue
            yield relative, path.read_text(encoding="utf-8")


def test_no_module_reads_media_by_local_path():
    found = []
    for relative, text in _sources():
        for number, line in enumerate(text.splitlines(), start=1):
            for name, pattern in PATTERNS.items():
                if pattern.search(line) and (relative, name) not in ALLOWED:
                    found.append(f"{relative}:{number}: {name}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_search_finds_what_it_forbids():
    """The patterns catch the usual ways (a check of the check)."""
    lines = [
        "size = os.path.getsize(image.file.path)",
        "picture = PILImage.open(rendition.path)",
        "root = settings.MEDIA_ROOT / name",
        "default_storage.path(name)",
    ]
    for line in lines:
        assert any(p.search(line) for p in PATTERNS.values()), line
    fine = ["PILImage.open(io.BytesIO(data))", "page.path", "request.path"]
    for line in fine:
        assert not any(p.search(line) for p in PATTERNS.values()), line
