"""An article page (a) uncached, (b) from the app's page cache, (c) through nginx's
proxy cache, and (d) a static file from nginx, with 10,000 articles; then how
long a publish takes to reach the proxy.

Imports the corpus repeated to 10,000 articles into a fresh production-mode
install (DEBUG=0, SQLite; Redis for the app cache with --redis), serves it with
gunicorn, puts nginx (Debian's, with the cache_purge module) in front using
deploy/nginx-site.conf, and loads each with wrk (32 connections) from a second
process. Prints requests/s, p50/p99 and the ratios (b)/(d) and (c)/(d).

    bench/http.sh [--articles 10000] [--seconds 10] [--redis URL] [--reuse DIR]

Needs: apt-get install -y wrk nginx libnginx-mod-http-cache-purge
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    ROOT,
    free_port,
    manage,
    production_env,
    repeat_corpus,
    start_gunicorn,
    wrk,
)

# WordPress 6.1 (php-fpm, opcache, MariaDB) on this kind of machine with the
# same 10,000 articles: 47 to 61 article pages/s (the portal issue).
WORDPRESS_ARTICLE_RPS = 61

PICK_ARTICLE = """
from byline.news.models import ArticlePage
imported = ArticlePage.objects.live().exclude(source_id=None)
article = imported.order_by("-published_at")[500]
print(article.pk, "/" + article.url_path.split("/", 2)[2])
"""

PUBLISH_EDIT = """
import time
from byline.news.models import ArticlePage
article = ArticlePage.objects.get(pk={pk})
article.title = {title!r}
print(time.time())
article.save_revision().publish()
print(time.time())
"""

NGINX_MAIN = """
load_module /usr/lib/nginx/modules/ngx_http_cache_purge_module.so;
worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    {access_log}
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def start_nginx(prefix, port, upstream_port, static_root, access_log=None):
    """Start nginx with deploy/nginx-site.conf; with `access_log` (a path), log
    each request's cache status, time and address there (bench/spike.py).
    `upstream_port` may be a list: one node each (bench/cluster.py)."""
    if shutil.which("nginx") is None:
        raise SystemExit("nginx is not installed: apt-get install -y nginx")
    if not Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so").exists():
        raise SystemExit("apt-get install -y libnginx-mod-http-cache-purge")
    prefix.mkdir(parents=True, exist_ok=True)
    site = (ROOT / "deploy" / "nginx-site.conf").read_text()
    ports = upstream_port if isinstance(upstream_port, list) else [upstream_port]
    # One `server` line per node, as the file's header says to do.
    line = next(
        text
        for text in site.splitlines()
        if text.strip().startswith("server ${UPSTREAM}")
    )
    site = site.replace(
        line,
        "\n".join(line.replace("${UPSTREAM}", f"127.0.0.1:{p}") for p in ports),
    )
    # Only these ${NAME}s are ours; nginx's own $variables stay as they are.
    for name, value in {
        "CACHE_DIR": prefix / "cache",
        "LISTEN": f"127.0.0.1:{port}",
        "SERVER_NAME": "127.0.0.1",
        "SITE_HOST": f"127.0.0.1:{port}",
        "STATIC_ROOT": static_root,
    }.items():
        site = site.replace("${" + name + "}", str(value))
    (prefix / "site.conf").write_text(site)
    log = "access_log off;"
    if access_log:
        log = (
            "log_format timing '$upstream_cache_status $request_time $request_method "
            f"$uri $status'; access_log {access_log} timing;"
        )
    (prefix / "nginx.conf").write_text(NGINX_MAIN.format(prefix=prefix, access_log=log))
    process = subprocess.Popen(
        [
            "nginx",
            "-p",
            str(prefix),
            "-c",
            str(prefix / "nginx.conf"),
            "-g",
            "daemon off;" + (" user root;" if os.geteuid() == 0 else ""),
        ],
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"nginx did not start: {(prefix / 'error.log').read_text()}")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), dict(response.headers)


def row(label, r):
    print(
        f"{label:<34} {r['rps']:>9.1f} {r['p50']:>8.2f} {r['p99']:>8.2f} "
        f"{int(r['errors']):>6}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--redis", help="REDIS_URL for the app cache (default: file)")
    parser.add_argument(
        "--reuse", help="keep the install in this folder and reuse it on later runs"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-http-") as tmp:
        if args.reuse:
            tmp = args.reuse
            Path(tmp).mkdir(parents=True, exist_ok=True)
        reusing = args.reuse and (Path(tmp) / "byline.sqlite3").exists()
        proxy_port, app_port, raw_port = free_port(), free_port(), free_port()
        env = production_env(Path(tmp), SITE_URL=f"http://127.0.0.1:{proxy_port}")
        env["SECRET_KEY"] = "http-bench-stable-q7Zr2Lx9Vw4Mp8Nc"
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        if args.redis:
            env["REDIS_URL"] = args.redis
            env["CACHE_KEY_PREFIX"] = f"bench-{proxy_port}"
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        if not reusing:
            manage(env, "load_demo")
            corpus = Path(tmp) / "corpus.jsonl"
            repeat_corpus(args.corpus, corpus, args.articles)
            summary = manage(env, "import_articles", str(corpus), "--no-progress")
            print(f"import: {summary.strip()}")
        # The site answers on the proxy's address, which purges name.
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from wagtail.models import Site\n"
            "for site in Site.objects.all():\n"
            f"    site.hostname, site.port = '127.0.0.1', {proxy_port}\n"
            "    site.save()",
        )
        pk, article = manage(env, "shell", "--no-imports", "-c", PICK_ARTICLE).split()

        uncached = start_gunicorn({**env, "PAGE_CACHE": "0"}, raw_port, args.workers)
        cached_env = {
            **env,
            "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{proxy_port}",
        }
        app = start_gunicorn(cached_env, app_port, args.workers)
        nginx = None
        try:
            nginx = start_nginx(
                Path(tmp) / "nginx", proxy_port, app_port, Path(tmp) / "static"
            )
            page, _ = fetch(f"http://127.0.0.1:{app_port}{article}")
            static = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
            size = len(page.encode())
            static_size = len(fetch(f"http://127.0.0.1:{proxy_port}{static}")[0])
            print(
                f"article {article} ({size:,} bytes); static {static} "
                f"({static_size:,} bytes)"
            )
            print(
                f"gunicorn: {args.workers} sync workers; nginx: {os.cpu_count()} "
                f"workers; wrk: 32 connections, {args.seconds}s each; app cache: "
                f"{'Redis' if args.redis else 'file'}"
            )
            print(f"{'':<34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
            results = {}
            for key, label, url in [
                ("a", "(a) article, uncached", f"http://127.0.0.1:{raw_port}{article}"),
                (
                    "b",
                    "(b) article, app page cache",
                    f"http://127.0.0.1:{app_port}{article}",
                ),
                (
                    "c",
                    "(c) article, through nginx cache",
                    f"http://127.0.0.1:{proxy_port}{article}",
                ),
                (
                    "d",
                    "(d) static file from nginx",
                    f"http://127.0.0.1:{proxy_port}{static}",
                ),
            ]:
                wrk(url, seconds=2)  # warm up (and fill the caches)
                results[key] = wrk(url, seconds=args.seconds)
                row(label, results[key])
            a, b, c, d = (results[k]["rps"] for k in "abcd")
            print(
                f"(b)/(a) = {b / a:.1f}   (b)/(d) = {b / d:.3f}   (c)/(d) = {c / d:.3f}"
            )
            print(
                f"(b) = {b / WORDPRESS_ARTICLE_RPS:.0f} x WordPress's "
                f"{WORDPRESS_ARTICLE_RPS} article pages/s (target 50 x)"
            )

            # Purge: publish an edit and poll the proxy until it shows it.
            _, headers = fetch(f"http://127.0.0.1:{proxy_port}{article}")
            assert headers.get("X-Proxy-Cache") == "HIT", headers
            title = f"Edited headline {time.time():.0f}"
            # Poll the proxy while the publish runs, so the figure is when a
            # reader could first see the edit, not when a process exited.
            publisher = subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "shell",
                    "--no-imports",
                    "-c",
                    PUBLISH_EDIT.format(pk=pk, title=title),
                ],
                cwd=ROOT,
                env=cached_env,
                stdout=subprocess.PIPE,
                text=True,
            )
            deadline = time.time() + 30
            seen = None
            while time.time() < deadline:
                body, headers = fetch(f"http://127.0.0.1:{proxy_port}{article}")
                if title in body:
                    seen = time.time()
                    break
                time.sleep(0.005)
            out, _ = publisher.communicate(timeout=60)
            started, published = (float(x) for x in out.split()[-2:])
            if seen is None:
                raise SystemExit("the edit never reached the proxy")
            print(
                f"purge: the publish took {published - started:.3f}s (signing, "
                f"related lists, invalidation and purge included); the proxy "
                f"served the edit {seen - published:+.3f}s after it returned"
            )
        finally:
            running = [p for p in (nginx, app, uncached) if p is not None]
            for process in running:
                process.terminate()
            for process in running:
                process.wait(timeout=20)


if __name__ == "__main__":
    main()
