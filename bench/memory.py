"""Memory at rest of Byline served as `make run` serves it: PSS of every process.

    .venv/bin/python bench/memory.py [--corpus FILE] [--reuse DIR] [--seconds 10]
                                     [--tree DIR] [--wordpress]

Makes a production-mode install (SQLite, DEBUG off) with the demo newsroom, or
with `--corpus` the articles of an `import_articles` file (WordPress's
peer leaves its 10,000 in /var/lib/wpbench/corpus/articles.jsonl). Starts the
processes `make print-serve` lists, exactly as `make run` does, warms them with
wrk on the home page, an article and search (`--warm` seconds each; 0: a
few requests only, as compare.py measures), lets them rest, and sums the
proportional set size (PSS, /proc/<pid>/smaps_rollup) of every process the
server started: shared pages count once in all, split between their sharers.
`--seconds N` then measures req/s of the home page and the article with wrk
-t2 -c32; `--wordpress` warms the WordPress peer the same way (its home page,
newest post and search), measures its PSS after the same rest
(../shared/peers/wordpress/mem.sh, as root) and prints the ratio. `--tree DIR` serves
another checkout of Byline (say the previous commit) with this one's tools.
"""

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, free_port, manage, production_env, wait_until_serving, wrk
from compare import descendants, peer_pss_mib, peer_urls, stop

HEAVY = ("numpy", "scipy", "sklearn")

NEWEST_SCRIPT = """
from byline.news.models import ArticlePage
page = ArticlePage.objects.live().public().order_by("-first_published_at").first()
print("/" + page.url_path.split("/", 2)[2])
"""


def install(var_dir, corpus):
    env = production_env(var_dir)
    env["SECRET_KEY"] = "memory-bench-" + "x" * 40
    for name in ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE", "SCHEDULER_IN_WEB"):
        env.pop(name, None)
    env["RATE_LIMIT_SEARCH"] = "100000000"  # wrk asks for search from one address
    fresh = not (Path(var_dir) / "byline.sqlite3").exists()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    if fresh:
        if corpus:
            manage(env, "import_articles", str(corpus), "--no-progress")
        else:
            manage(env, "load_demo")
    article = manage(env, "shell", "--no-imports", "-c", NEWEST_SCRIPT).strip()
    return env, article


def serve(env, port, tree, make_vars=()):
    """Start what `make print-serve` lists in tree, as `make run` does."""
    lines = subprocess.run(
        [
            "make",
            "-s",
            "--no-print-directory",
            "print-serve",
            f"PORT={port}",
            *make_vars,
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    processes = [
        subprocess.Popen(
            shlex.split(line.replace(".venv/bin/", f"{ROOT}/.venv/bin/")),
            cwd=tree,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for line in lines
        if line.strip()
    ]
    wait_until_serving(port, processes, seconds=120)
    return processes


def rollup(pid):
    """PSS, RSS and private memory of one process in MiB, and what it runs."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return None
    pss, rss, clean, dirty = (
        int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1)) / 1024
        for field in ("Pss", "Rss", "Private_Clean", "Private_Dirty")
    )
    return pss, rss, clean + dirty, command.decode(errors="replace").strip()


def heavy_modules(pid):
    """Which of numpy, scipy and scikit-learn the process has mapped."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return []
    return [name for name in HEAVY if f"/site-packages/{name}/" in maps]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", help="an import_articles file (default: demo)")
    parser.add_argument("--reuse", help="keep the install in this folder")
    parser.add_argument("--seconds", type=int, default=0, help="wrk run per page")
    parser.add_argument("--tree", default=str(ROOT), help="checkout to serve")
    parser.add_argument("--rest", type=int, default=10, help="seconds at rest")
    parser.add_argument("--warm", type=int, default=3, help="wrk seconds per page")
    parser.add_argument("--wordpress", action="store_true")
    parser.add_argument(
        "--make", action="append", default=[], help="e.g. WORKERS=3 for print-serve"
    )
    parser.add_argument(
        "--env", action="append", default=[], help="NAME=VALUE for the server"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-memory-") as tmp:
        var_dir = Path(args.reuse or tmp)
        var_dir.mkdir(parents=True, exist_ok=True)
        env, article = install(var_dir, args.corpus)
        env.update(pair.split("=", 1) for pair in args.env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes = serve(env, port, args.tree, args.make)
        try:
            pages = {"home": "/", "article": article, "search": "/search/?q=putin"}
            warm = [base + path for path in pages.values()]
            if args.wordpress:  # the same warm-up and rest for both systems
                wp = peer_urls()
                wp_base = "/".join(wp["WPB_POST_HOT_URL"].split("/", 3)[:3])
                warm += [wp_base + "/", wp["WPB_POST_HOT_URL"], wp_base + "/?s=putin"]
            for url in warm if args.warm else ():
                wrk(url, seconds=args.warm)
            time.sleep(args.rest)
            theirs = peer_pss_mib() if args.wordpress else None
            pids = descendants([p.pid for p in processes])
            rows = {pid: (rollup(pid), heavy_modules(pid)) for pid in pids}
            rows = {pid: (*row, heavy) for pid, (row, heavy) in rows.items() if row}
            speed = {}
            for name in ("home", "article") if args.seconds else ():
                speed[name] = wrk(base + pages[name], seconds=args.seconds)
        finally:
            stop(processes)

    total = sum(row[0] for row in rows.values())
    print("| pid | PSS MiB | RSS MiB | private MiB | numpy/scipy/sklearn | command |")
    print("|---:|---:|---:|---:|---|---|")
    for pid, (pss, rss, private, command, heavy) in sorted(rows.items()):
        heavy = ", ".join(heavy) or "none"
        print(
            f"| {pid} | {pss:.1f} | {rss:.1f} | {private:.1f} | {heavy} "
            f"| {command[:60]} |"
        )
    print(f"\nByline at rest: {total:,.1f} MiB PSS in {len(rows)} processes")
    for name, result in speed.items():
        print(
            f"{name}: {result['rps']:,.0f} req/s, p50 {result['p50']:.1f} ms, "
            f"p99 {result['p99']:.1f} ms (wrk -t2 -c32 -d{args.seconds}s)"
        )
    if theirs is not None:
        print(
            f"WordPress at rest: {theirs:,.1f} MiB PSS; Byline/WordPress "
            f"{total / theirs:.2f}×"
        )
    json.dump({"pss_mib": total, "processes": len(rows)}, sys.stderr)
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
