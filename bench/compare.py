"""Byline against WordPress on the same 10,000 articles, measured in one run.

    .venv/bin/python bench/compare.py [--seconds 15] [--rounds 1] [--reuse DIR]

Runs as root: the peer's scripts (../shared/peers/wordpress/) install Debian's
WordPress 6.1 with nginx, php-fpm and MariaDB, load 10,000 posts with comments
and leave the same workload in our `import_articles` format. This script loads
that workload into a fresh Byline install (SQLite, DEBUG off, served the way
`make run` serves it), then measures both servers alternately with the same wrk
settings (-t2 -c32, the same warm-up and duration) and prints req/s, p50, p99
and the ratio Byline/WordPress for:

  (a) the newest article with comments, as served by default
  (b) the home page
  (c) the same article for a reader who has voted (Byline's reader cookie;
      WordPress gets the cookie a commenter carries)
  (d) a mid-archive article with a unique query string and
      `Cache-Control: no-cache` on every request; Byline with PAGE_CACHE=0
  (e) search for "putin" (Byline's search rate limit raised for the run)
  (f) a static file (WordPress: nginx; Byline: as `make run` serves it)

and the memory at rest: PSS of every process of each system.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from _setup import ROOT, free_port, manage, production_env, wait_until_serving

PEER = ROOT.parent / "shared" / "peers" / "wordpress"
WPB_STATE = Path(os.environ.get("WPB_STATE", "/var/lib/wpbench"))
WRK_SCRIPT = Path(__file__).with_name("wrk_compare.lua")
BUDGETS = {"a": 50, "b": 50, "c": 50, "d": 8, "e": 20}

COMMENTS_SCRIPT = """
import json, sys
from datetime import datetime
from byline.comments.models import Comment
from byline.comments.moderation import recount
from byline.news.models import ArticlePage
pages = dict(ArticlePage.objects.values_list("source_id", "pk"))
made, touched = 0, set()
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    page = pages.get(c["article_id"])
    if page is None or Comment.objects.filter(source_id="wpb:" + str(made)).exists():
        made += 1
        continue
    Comment.objects.create(
        article_id=page, name=c["author"], email=c["email"], text=c["body"],
        status=Comment.Status.APPROVED, source_id="wpb:" + str(made),
        created=datetime.fromisoformat(c["published"].replace("Z", "+00:00")),
    )
    made += 1
    touched.add(page)
recount(touched)
print(made)
"""

URLS_SCRIPT = """
import json, sys
from byline.news.models import ArticlePage
out = {}
for key, source in json.loads(sys.argv[1]).items():
    page = ArticlePage.objects.live().get(source_id=source)
    out[key] = "/" + page.url_path.split("/", 2)[2]
print(json.dumps(out))
"""


def peer_urls():
    """The WordPress targets load.sh wrote, loading the peer first if needed."""
    env_file = WPB_STATE / "urls.env"
    if not env_file.exists():
        subprocess.run([str(PEER / "setup.sh")], check=True)
        subprocess.run([str(PEER / "load.sh")], check=True)
    values = {}
    for line in env_file.read_text().splitlines():
        name, _, value = line.partition("=")
        values[name] = shlex.split(value)[0] if value else ""
    return values


def peer_start():
    subprocess.run(
        ["bash", "-c", f". {PEER}/common.sh && start_all"],
        check=True,
        capture_output=True,
    )


def corpus_ids(path, *line_numbers):
    """The `id` of the records at the given 1-based lines (WordPress post ids)."""
    wanted, found = set(line_numbers), {}
    with open(path, encoding="utf-8") as corpus:
        for number, line in enumerate(corpus, 1):
            if number in wanted:
                found[number] = json.loads(line)["id"]
            if len(found) == len(wanted):
                break
    return [found[n] for n in line_numbers]


def serve_byline(env, port):
    """Start Byline as `make run` does (gunicorn as configured, the scheduler)."""
    command = subprocess.run(
        ["make", "-s", "--no-print-directory", "print-serve", f"PORT={port}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    processes = [
        subprocess.Popen(
            shlex.split(line),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for line in command.splitlines()
        if line.strip()
    ]
    wait_until_serving(port, processes, seconds=90)
    return processes


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def descendants(pids):
    """The given pids and every process below them."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def pss_mib(pids):
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
    return total / 1024


def peer_pss_mib():
    output = subprocess.run(
        [str(PEER / "mem.sh")], check=True, capture_output=True, text=True
    ).stdout
    row = next(line for line in output.splitlines() if line.startswith("TOTAL"))
    return float(row.split()[-1])


def voter_cookie(base, article_path):
    """Vote on a comment of the article as a reader would; return the cookies."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"Sec-Fetch-Site": "same-origin", "Origin": base}
    page = opener.open(base + article_path).read().decode()
    for _ in range(3):  # the vote, and any confirmation step the site asks for
        form = re.search(
            r'<form[^>]*action="([^"]*vote[^"]*)"[^>]*>(.*?)</form>', page, re.S
        )
        if form is None:
            break
        fields = dict(
            re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2))
        )
        fields.update(
            re.findall(
                r'<button[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form.group(2)
            )[:1]
        )
        request = urllib.request.Request(
            urllib.parse.urljoin(base + article_path, form.group(1)),
            data=urllib.parse.urlencode(fields).encode(),
            headers=headers,
        )
        page = opener.open(request).read().decode()
        if any(cookie.name == "byline_reader" for cookie in jar):
            break
    cookies = "; ".join(f"{c.name}={c.value}" for c in jar)
    if "byline_reader" not in cookies:
        raise SystemExit("voting did not give a reader cookie")
    return cookies


def wrk(url, seconds, nocache=False, cookie=""):
    env = {**os.environ, "WRK_NOCACHE": "1" if nocache else "0", "WRK_COOKIE": cookie}
    command = ["wrk", "-t2", "-c32", "--timeout", "30s", "-s", str(WRK_SCRIPT), url]
    subprocess.run([*command, "-d3s"], env=env, capture_output=True)  # warm-up
    time.sleep(2)  # let the warm-up's queued requests drain
    output = subprocess.run(
        [*command, f"-d{seconds}s"], env=env, check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    return {k: float(v) for k, v in (p.split("=") for p in line.split()[1:])}


def byline_install(var_dir, wp):
    env = production_env(var_dir)
    env["SECRET_KEY"] = "compare-bench-" + "x" * 40
    for name in ("DATABASE_URL", "REDIS_URL", "PAGE_CACHE"):
        env.pop(name, None)
    # wrk asks for search 30 times a second from one address: the reader limit
    # (30 a minute) would answer 429 instead of measuring search.
    env["RATE_LIMIT_SEARCH"] = "100000000"
    database = Path(var_dir) / "byline.sqlite3"
    fresh = not database.exists()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    corpus = WPB_STATE / "corpus"
    if fresh:
        started = time.perf_counter()
        manage(env, "import_articles", str(corpus / "articles.jsonl"), "--no-progress")
        print(f"Byline import of the workload: {time.perf_counter() - started:.0f} s")
    # Comments every time: the script skips those already there, so an install
    # kept with --reuse (or made by another bench script) gets them too.
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        COMMENTS_SCRIPT.replace("sys.argv[1]", repr(str(corpus / "comments.jsonl"))),
    )
    hot, cold = corpus_ids(
        corpus / "articles.jsonl",
        int(wp["WPB_POST_HOT_ID"]),
        int(wp["WPB_POST_COLD_ID"]),
    )
    script = URLS_SCRIPT.replace(
        "sys.argv[1]", repr(json.dumps({"hot": hot, "cold": cold}))
    )
    urls = json.loads(manage(env, "shell", "--no-imports", "-c", script))
    return env, urls


def static_path(base):
    home = urllib.request.urlopen(base + "/").read().decode()
    return re.search(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', home).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--reuse", help="keep Byline's install in this folder")
    parser.add_argument("--only", help="targets to run, e.g. abc")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the WordPress peer's scripts need it")

    wp = peer_urls()
    peer_start()
    wp_base = wp["WPB_POST_HOT_URL"].split("/", 3)
    wp_base = "/".join(wp_base[:3])
    with tempfile.TemporaryDirectory(prefix="byline-compare-") as tmp:
        var_dir = Path(args.reuse or tmp)
        var_dir.mkdir(parents=True, exist_ok=True)
        env, urls = byline_install(var_dir, wp)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        processes = serve_byline(env, port)
        try:
            results = measure(args, wp, wp_base, base, urls, env, processes)
        finally:
            stop(processes)
    report(results)


def measure(args, wp, wp_base, base, urls, env, processes):
    results = {}
    for url in (base + urls["hot"], base + "/", wp["WPB_POST_HOT_URL"], wp_base + "/"):
        urllib.request.urlopen(url).read()
    time.sleep(5)
    results["memory"] = (
        pss_mib(descendants([p.pid for p in processes])),
        peer_pss_mib(),
    )
    cookie = voter_cookie(base, urls["hot"])
    targets = {
        "a": (
            "newest article with comments",
            base + urls["hot"],
            wp["WPB_POST_HOT_URL"],
            {},
        ),
        "b": ("home page", base + "/", wp_base + "/", {}),
        "c": (
            "same article, reader who voted",
            base + urls["hot"],
            wp["WPB_POST_HOT_URL"],
            {"cookie": cookie, "wp_cookie": "comment_author_bench=Reader"},
        ),
        "d": (
            "mid-archive article, no cache",
            None,
            wp["WPB_POST_COLD_URL"],
            {"nocache": True},
        ),
        "e": ("search for putin", base + "/search/?q=putin", f"{wp_base}/?s=putin", {}),
        "f": (
            "static file",
            base + static_path(base),
            wp_base + "/wp-includes/css/dashicons.min.css",
            {},
        ),
    }
    miss_server = None
    for name, (label, byline_url, wp_url, options) in targets.items():
        if args.only and name not in args.only:
            continue
        if name == "d":
            miss_port = free_port()
            miss_env = {**env, "PAGE_CACHE": "0"}
            miss_server = serve_byline(miss_env, miss_port)
            byline_url = f"http://127.0.0.1:{miss_port}{urls['cold']}"
        runs = {"byline": [], "wordpress": []}
        for round_ in range(args.rounds):
            order = (
                ["wordpress", "byline"] if round_ % 2 == 0 else ["byline", "wordpress"]
            )
            for system in order:
                url = byline_url if system == "byline" else wp_url
                cookie_header = options.get(
                    "cookie" if system == "byline" else "wp_cookie", ""
                )
                runs[system].append(
                    wrk(url, args.seconds, options.get("nocache", False), cookie_header)
                )
                print(f"  ({name}) {system}: {runs[system][-1]}", file=sys.stderr)
        if miss_server:
            stop(miss_server)
            miss_server = None
        results[name] = (label, median(runs["byline"]), median(runs["wordpress"]))
    return results


def median(runs):
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def report(results):
    print(
        "| target | Byline req/s | p50 ms | p99 ms | WordPress req/s | p50 ms | p99 ms "
        "| Byline/WordPress | budget |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, value in results.items():
        if name == "memory":
            continue
        label, ours, theirs = value
        if not theirs["requests"] or not ours["requests"]:
            # wrk finished no request in the time given: nothing to compare.
            print(f"| ({name}) {label} | no complete request: run longer | |")
            continue
        ratio = ours["rps"] / theirs["rps"]
        budget = BUDGETS.get(name)
        verdict = (
            ""
            if budget is None
            else f"≥{budget}× {'met' if ratio >= budget else 'MISSED'}"
        )
        if name == "d":
            p99_ok = ours["p99"] <= theirs["p99"] / 10
            verdict += f"; p99 ≤ 1/10 {'met' if p99_ok else 'MISSED'}"
        errors = int(
            ours["errors"] + ours["non2xx"] + theirs["errors"] + theirs["non2xx"]
        )
        print(
            f"| ({name}) {label} | {ours['rps']:,.1f} | {ours['p50']:.1f} | "
            f"{ours['p99']:.1f} | {theirs['rps']:,.1f} | {theirs['p50']:.1f} | "
            f"{theirs['p99']:.1f} | {ratio:,.1f}× | {verdict}"
            + (f" ({errors} errors)" if errors else "")
            + " |"
        )
    ours, theirs = results["memory"]
    print(
        f"| memory at rest, PSS of every process | {ours:,.0f} MiB | | | "
        f"{theirs:,.0f} MiB | | | {ours / theirs:.2f}× | "
        f"≤1× {'met' if ours <= theirs else 'MISSED'} |"
    )


if __name__ == "__main__":
    main()
