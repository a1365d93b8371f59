"""An `import_articles` killed mid-run (SIGKILL, a real subprocess) and run again
goes on where it stopped: every record imported once, signed once, indexed once."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from byline.news.models import ArticlePage
from byline.news.signals import import_finished
from byline.operations.tests.test_backup import machines, manage  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[3]
RECORDS = 2400
BATCH = 50
KILL_AFTER = 400  # articles committed before the kill

COUNTS = """
import json
from django.db import connection
from byline.news.models import ArticleTag
from byline.news.models import ArticlePage, SectionPage
from byline.provenance.models import ProvenanceRecord
from byline.search.indexing import index_backend
ids = list(ArticlePage.objects.values_list("source_id", flat=True))
sections = {
    s.title: [s.numchild, s.get_children().count()] for s in SectionPage.objects.all()
}
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT COUNT(*) FROM " + index_backend().TABLE
        if index_backend() else "SELECT 0"
    )
    indexed = cursor.fetchone()[0]
print(json.dumps({
    "ids": ids,
    "records": ProvenanceRecord.objects.count(),
    "signed_pages": ProvenanceRecord.objects.values("page_id").distinct().count(),
    "indexed": indexed,
    "tagged": ArticleTag.objects.count(),
    "sections": sections,
}))
"""


def corpus(path):
    with open(path, "w", encoding="utf-8") as out:
        for n in range(RECORDS):
            record = {
                "id": f"wire-{n:05d}",
                "title": f"Harbour report {n} on the tides",
                "body": f"Lead paragraph number {n}.\n\nSecond paragraph about {n}.",
                "category": ["World", "Business", "Sport"][n % 3],
                "published": f"2024-01-{n % 28 + 1:02d}T08:00:00+00:00",
                "author": f"Writer {n % 7}",
                "tags": [f"Tag {n % 11}"],
            }
            out.write(json.dumps(record) + "\n")
    return path


def committed_articles(env):
    """Articles committed so far, read beside the running import."""
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            return conn.execute("SELECT COUNT(*) FROM news_articlepage").fetchone()[0]
    database = Path(env["BYLINE_VAR_DIR"]) / "byline.sqlite3"
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM news_articlepage").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def child_processes(pid):
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_killed_import_run_again_creates_nothing_twice_and_misses_nothing(
    machines,  # noqa: F811
    tmp_path,
):
    from byline.provenance import keyfile

    env = machines("archive")
    env["RELATED_AFTER_IMPORT"] = "0"
    keyfile.create(env["PROVENANCE_SIGNING_KEY_FILE"])
    manage(env, "migrate", "--noinput")
    path = corpus(tmp_path / "wire.jsonl")
    command = [sys.executable, "manage.py", "import_articles", str(path)]
    command += ["--batch-size", str(BATCH), "--no-progress"]

    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while committed_articles(env) < KILL_AFTER and time.monotonic() < deadline:
        assert first.poll() is None, "the import finished before it could be killed"
        time.sleep(0.02)
    workers = child_processes(first.pid)
    assert workers, "the import works its texts out in a worker process"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    # Its worker leaves with it, not waiting for ever for the next batch.
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers):
        assert time.monotonic() < deadline, f"{workers} outlived the killed import"
        time.sleep(0.05)
    killed_at = committed_articles(env)
    assert KILL_AFTER <= killed_at < RECORDS

    again = manage(env, *command[2:])
    assert " 0 bad lines" in again.stdout, again.stdout + again.stderr

    counts = json.loads(manage(env, "shell", "--no-imports", "-c", COUNTS).stdout)
    expected = {f"wire-{n:05d}" for n in range(RECORDS)}
    assert len(counts["ids"]) == RECORDS and set(counts["ids"]) == expected
    assert counts["records"] == counts["signed_pages"] == RECORDS
    assert counts["indexed"] == RECORDS
    assert counts["tagged"] == RECORDS
    for title, (numchild, children) in counts["sections"].items():
        assert numchild == children == RECORDS // 3, title
    check = manage(env, "provenance", "--check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{RECORDS - killed_at} created" in again.stdout, again.stdout
    assert f"resumed after line {killed_at}" in again.stdout, again.stdout

    # A third run over a finished import starts from the top and changes nothing.
    third = manage(env, *command[2:]).stdout
    assert f"0 created, 0 updated, {RECORDS} unchanged" in third, third


def interrupt_at(line):
    """A progress callback that stops the import as Ctrl-C would, once it has
    read `line` (the bar moves a batch's lines at a time)."""
    seen = [0]

    def progress(n):
        seen[0] += n
        if seen[0] >= line:
            raise KeyboardInterrupt

    return progress


@pytest.mark.django_db
def test_an_interrupted_import_resumes_after_its_last_committed_batch(tmp_path):
    """Ctrl-C after line 120: the rerun skips the 100 lines its batches committed."""
    from byline.importers.jsonl import import_jsonl

    path = corpus(tmp_path / "wire.jsonl")
    with pytest.raises(KeyboardInterrupt):
        import_jsonl(path, batch_size=BATCH, progress=interrupt_at(121))
    assert ArticlePage.objects.count() == 100
    summary = import_jsonl(path, batch_size=BATCH)
    assert summary.resumed_after == 100
    assert (summary.created, summary.updated, summary.unchanged) == (
        RECORDS - 100,
        0,
        0,
    )
    assert ArticlePage.objects.count() == RECORDS
    assert import_jsonl(path, batch_size=BATCH).unchanged == RECORDS


@pytest.mark.django_db
def test_an_import_is_not_resumed_over_a_changed_file(tmp_path):
    """A file changed before the point reached is read again from its first line."""
    from byline.importers.jsonl import import_jsonl

    path = corpus(tmp_path / "wire.jsonl")
    with pytest.raises(KeyboardInterrupt):
        import_jsonl(path, batch_size=BATCH, progress=interrupt_at(121))
    lines = path.read_text().splitlines(keepends=True)
    changed = json.loads(lines[3])
    changed["title"] = "A corrected headline"
    lines[3] = json.dumps(changed) + "\n"
    path.write_text("".join(lines))
    finished = []

    def collect(sender, article_ids, **kwargs):
        finished.extend(article_ids)

    import_finished.connect(collect)
    try:
        summary = import_jsonl(path, batch_size=BATCH)
    finally:
        import_finished.disconnect(collect)
    # The end-of-import work covers what the interrupted run committed too.
    assert len(set(finished)) == RECORDS
    assert summary.resumed_after == 0
    assert (summary.created, summary.updated) == (RECORDS - 100, 1)
    assert (
        ArticlePage.objects.get(source_id="wire-00003").title == "A corrected headline"
    )
