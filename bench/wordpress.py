"""WordPress import: memory while streaming a big export, and import speed.

    .venv/bin/python bench/wordpress.py [--megabytes 500] [--posts 500]

Builds a WXR file of the given size from the WordPress theme unit test export
(its posts repeated with new ids), reads it with the importer's streaming reader
in a fresh process and prints the time and the peak resident memory; then
imports a file of --posts posts into a fresh install and prints posts per
second and that process's peak memory.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, manage, production_env

SOURCE = (
    ROOT.parent / "shared" / "data" / "wordpress" / "themeunittestdata.wordpress.xml"
)
ITEM = re.compile(r"<item>.*?</item>", re.S)
POST_ID = re.compile(r"<wp:post_id>(\d+)</wp:post_id>")
POST_NAME = re.compile(r"<wp:post_name><!\[CDATA\[([^\]]*)\]\]></wp:post_name>")
COMMENT_ID = re.compile(r"<wp:comment_id>(\d+)</wp:comment_id>")

READ_SCRIPT = """
import resource, sys, time
from byline.importers import wxr
started = time.perf_counter()
items = sum(1 for record in wxr.read(sys.argv[1]) if isinstance(record, wxr.Item))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{items} {elapsed:.1f} {peak:.0f}")
"""


IMPORT_SCRIPT = """
import resource
from django.core.management import call_command
call_command("import_wordpress", "{path}", "--no-progress")
print(round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
"""


def renumber(item, copy):
    """The item as the copy-th repetition: new post, comment ids and slug."""
    offset = copy * 1_000_000

    def post_id(match):
        return f"<wp:post_id>{int(match.group(1)) + offset}</wp:post_id>"

    def comment_id(match):
        return f"<wp:comment_id>{int(match.group(1)) + offset}</wp:comment_id>"

    def post_name(match):
        return f"<wp:post_name><![CDATA[{match.group(1)}-{copy}]]></wp:post_name>"

    item = POST_ID.sub(post_id, item)
    item = COMMENT_ID.sub(comment_id, item)
    return POST_NAME.sub(post_name, item)


def build(target, megabytes=None, posts=None):
    """Write a WXR with the source's posts repeated; return the number of posts."""
    text = SOURCE.read_text(encoding="utf-8")
    head, tail = text[: text.index("<item>")], text[text.rindex("</item>") + 7 :]
    items = [i for i in ITEM.findall(text) if "<wp:post_type>post</wp:post_type>" in i]
    written = copies = 0
    with open(target, "w", encoding="utf-8") as out:
        out.write(head)
        while True:
            for item in items:
                if posts is not None and written >= posts:
                    break
                if megabytes is not None and out.tell() >= megabytes * 1024 * 1024:
                    break
                item = renumber(item, copies)
                out.write(item + "\n")
                written += 1
            else:
                copies += 1
                continue
            break
        out.write(tail)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=500)
    parser.add_argument("--posts", type=int, default=500)
    args = parser.parse_args()
    if not SOURCE.exists():
        raise SystemExit(f"needs {SOURCE}")
    with tempfile.TemporaryDirectory(prefix="byline-wordpress-") as tmp:
        tmp = Path(tmp)
        big = tmp / "big.xml"
        posts = build(big, megabytes=args.megabytes)
        size = big.stat().st_size / 1024 / 1024
        out = subprocess.run(
            [sys.executable, "-c", READ_SCRIPT, str(big)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout.split()  # fmt: skip
        big.unlink()
        print(f"streaming read: {size:.0f} MB, {out[0]} items ({posts} posts) in "
              f"{out[1]} s, peak memory {out[2]} MB")  # fmt: skip

        small = tmp / "small.xml"
        posts = build(small, posts=args.posts)
        env = production_env(tmp / "site", RELATED_AFTER_IMPORT="0")
        manage(env, "migrate", "--noinput")
        started = time.perf_counter()
        out = (
            manage(env, "shell", "--no-imports", "-c", IMPORT_SCRIPT.format(path=small))
            .strip()
            .splitlines()
        )
        elapsed = time.perf_counter() - started
        print(f"import: {posts} posts in {elapsed:.1f} s "
              f"({posts / elapsed:.1f} posts/s), peak memory {out[-1]} MB")  # fmt: skip
        print(next(line for line in out if line.startswith("Created")))


if __name__ == "__main__":
    main()
