"""Byline as a cluster on one machine: two nodes behind nginx, one task worker,
PostgreSQL (and a streaming replica), Redis and an S3-compatible bucket.

Starts two nodes (gunicorn as `make run` serves, each with its own var/ and
mail outbox, sharing no disk), a `run_worker`, a scratch database on the local
PostgreSQL server and a streaming replica of it (byline/operations/pgreplica.py),
a Redis server of its own, moto's S3 server and Debian's nginx with
deploy/nginx-site.conf (one upstream line per node) in front. Then prints:

1. how long a publish made on node A takes to be served by node B and through
   nginx;
2. an image uploaded through node A's admin (a signed-in editor's multipart
   post): node B renders it from the bucket, and its rendition's URL answers;
3. a comment storm through nginx (readers with wrk, commenters as browsers),
   node A SIGKILLed 20 s in and restarted 20 s later: comments lost and
   duplicated, mail sent per comment (a subscriber follows the article), and
   readers' 5xx;
4. /readyz of each node;
5. a publish read through the replica once it has caught up, and its lag.

    nice -n 10 .venv/bin/python bench/cluster.py [--seconds 60]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--replica-port 5440]

Needs: PostgreSQL's server binaries, redis-server, wrk, nginx-light and
libnginx-mod-http-cache-purge.
"""

import argparse
import re
import shutil
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import requests
from _cluster import (
    PUBLISH_SCRIPT,
    RENDITION_SCRIPT,
    S3_KEYS,
    SENT_SCRIPT,
    SETUP_SCRIPT,
    Node,
    commit_time,
    outbox_messages,
    sample_lag,
    start_redis,
    start_s3,
    start_worker,
    text_of,
    watch_for_text,
)
from _setup import (
    DEFAULT_CORPUS,
    drop_postgres,
    free_port,
    install_newsroom,
    manage,
    production_env,
    scratch_postgres,
)
from comments import RAISED_LIMITS, poster, tally
from http_cache import start_nginx
from spike import MODERATION_SCRIPT, PATHS_SCRIPT, readers

from byline.operations.pgreplica import Replica

ARTICLE = "/world/putin-xi-state-visit-beijing/"
WATCHER = "watcher@example.org"


def publish_figure(node_a, node_b, proxy_base):
    path = "/news/"
    paths = manage(node_a.env, "shell", "--no-imports", "-c", PATHS_SCRIPT).split()
    path = next(p for p in paths if p.count("/") == 3 and p != ARTICLE)
    urls = [node_b.base + path, proxy_base + path]
    watch_for_text(urls, "")()  # both have it cached now
    title = f"Cluster publish {time.time():.0f}"
    # The pollers run before the publish: the delay is from the commit to the
    # first answer showing it, not from a shell process's exit.
    trail = {}
    seen = watch_for_text(urls, title, trail=trail)
    script = PUBLISH_SCRIPT.format(path=path, title=title)
    started = commit_time(manage(node_a.env, "shell", "--no-imports", "-c", script))
    seen = {url: when - started for url, when in seen().items()}
    for where, url in zip(["node B", "nginx"], urls, strict=True):
        # After the commit: each run of the same answer, e.g. "hit×12 miss×1".
        runs = []
        for when, page, proxy in trail.get(url, []):
            label = f"{page}/{proxy}" if proxy else str(page)
            if when >= started and runs and runs[-1][0] == label:
                runs[-1][1] += 1
            elif when >= started:
                runs.append([label, 1])
        print(
            f"   {where} answered after the commit: "
            + " ".join(f"{label}×{count}" for label, count in runs)
        )
    delays = ", ".join(
        f"{where} {seen[url] * 1000:.0f} ms" if url in seen else f"{where} NOT SEEN"
        for where, url in zip(["node B", "nginx"], urls, strict=True)
    )
    # For scale: one render of that page on node B, past every cache (a
    # session cookie keeps a request off them), on this machine right now.
    uncached = urllib.request.Request(urls[0], headers={"Cookie": "sessionid=x"})
    began = time.perf_counter()
    urllib.request.urlopen(uncached, timeout=30).read()
    render = (time.perf_counter() - began) * 1000
    print(
        f"1. publish on node A ({path}) served after commit by: {delays} "
        f"(an uncached render of it on node B now: {render:.0f} ms)"
    )
    return all(url in seen and seen[url] < 1 for url in urls)


def upload_figure(node_a, node_b, password, tmp):
    from PIL import Image

    picture = Path(tmp) / "cluster.png"
    Image.new("RGB", (800, 500), (200, 30, 30)).save(picture)
    browser = requests.Session()
    login = node_a.base + "/admin/login/"
    browser.get(login, timeout=30)
    browser.post(
        login,
        data={
            "username": "cluster-editor",
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": "/admin/",
        },
        timeout=30,
    ).raise_for_status()
    add = node_a.base + "/admin/images/add/"
    page = browser.get(add, timeout=30).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    title = f"Cluster picture {time.time():.0f}"
    with open(picture, "rb") as file:
        response = browser.post(
            add,
            data={"csrfmiddlewaretoken": token, "title": title, "collection": "1"},
            files={"file": ("cluster.png", file, "image/png")},
            headers={"Referer": add},
            timeout=60,
            allow_redirects=False,
        )
    script = RENDITION_SCRIPT.format(title=title)
    lines = manage(node_b.env, "shell", "--no-imports", "-c", script).splitlines()
    storage, original = lines[0].split()
    rendition = lines[-1]
    status = requests.get(rendition, timeout=30).status_code
    print(
        f"2. image uploaded through node A's admin (POST {response.status_code}); "
        f"node B ({storage}) made its rendition from the bucket: {rendition} "
        f"answers {status}"
    )
    return response.status_code == 302 and status == 200


def storm_figure(args, node_a, node_b, workers, proxy_base, env, tmp):
    worker_dir = Path(tmp) / "worker"
    manage(env, "shell", "--no-imports", "-c", MODERATION_SCRIPT.format(mode="none"))
    paths_file = Path(tmp) / "paths.txt"
    paths_file.write_text(manage(env, "shell", "--no-imports", "-c", PATHS_SCRIPT))
    for line in paths_file.read_text().split():
        urllib.request.urlopen(proxy_base + line, timeout=60).read()
    results, lock, reader_result = [], threading.Lock(), {}
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=poster, args=(proxy_base, env["SECRET_KEY"], deadline, results, lock)
        )
        for _ in range(args.commenters)
    ]
    threads.append(
        threading.Thread(
            target=lambda: reader_result.update(
                readers(proxy_base, paths_file, args.seconds, args.readers)
            )
        )
    )
    for thread in threads:
        thread.start()
    kill_at, back_at = args.seconds / 3, args.seconds * 2 / 3
    time.sleep(kill_at)
    node_a.kill()
    killed = time.monotonic()
    time.sleep(back_at - kill_at)
    node_a.start()
    restarted = time.monotonic() - killed
    for thread in threads:
        thread.join()
    t = tally(env, results)
    if workers[-1].poll() is not None:
        # Not part of the plan (a SIGTERM from outside stopped one run's worker
        # mid-storm): restarted as its supervisor would, and said so.
        code = workers[-1].returncode
        print(f"   (the task worker had exited, code {code}: restarted)")
        workers.append(start_worker(env, worker_dir))
    drained = time.monotonic()
    script = SENT_SCRIPT.format(watcher=WATCHER)
    waiting, sent = map(int, manage(env, "shell", "--no-imports", "-c", script).split())
    drained = time.monotonic() - drained
    mails = [
        m
        for m in outbox_messages(
            [node_a.mail_dir, node_b.mail_dir, worker_dir / "mail"]
        )
        if WATCHER in (m["To"] or "")
    ]
    markers = re.compile(r"bench-[0-9a-f]{32}")
    mailed = [found for m in mails for found in set(markers.findall(text_of(m)))]
    stored = set(t.stored)
    once = sum(1 for marker in stored if mailed.count(marker) == 1)
    r = reader_result
    print(
        f"3. storm through nginx, {args.seconds} s, {args.readers} readers and "
        f"{args.commenters} commenters, node A SIGKILLed at {kill_at:.0f} s and "
        f"serving again {restarted:.0f} s later:"
    )
    print(
        f"   readers: {int(r['requests'])} pages, {r['rps']:.0f}/s, p99 "
        f"{r['p99']:.0f} ms, 503 {int(r['e503'])}, other 5xx {int(r['e5xx'])}, "
        f"socket errors {int(r['errors'])}"
    )
    print(
        f"   commenters: statuses {t.statuses}; {len(t.accepted)} accepted, "
        f"{len(t.stored)} stored, lost {len(t.lost)}, duplicated {t.duplicated}"
    )
    print(
        f"   mail to the article's subscriber: {len(mails)} messages for "
        f"{len(stored)} comments, {once} mailed exactly once, "
        f"{len(stored) - once} not exactly once (deliveries marked sent: {sent}; "
        f"the worker's queue drained {drained:.0f} s after the storm, {waiting} left)"
    )
    return not t.lost and not t.duplicated and once == len(stored) == len(mails)


def replica_figure(replica, database, node_a, storm_lag):
    title = f"Replica publish {time.time():.0f}"
    paths = manage(node_a.env, "shell", "--no-imports", "-c", PATHS_SCRIPT).split()
    path = next(p for p in paths if p.count("/") == 3 and p != ARTICLE)
    found = {}

    def poll():
        # Started before the publish: the first moment the replica shows it.
        with psycopg.connect(replica.url(database), autocommit=True) as conn:
            deadline = time.time() + 20
            while time.time() < deadline and not found:
                sql = "SELECT count(*) FROM wagtailcore_page WHERE title = %s"
                if conn.execute(sql, [title]).fetchone()[0]:
                    found["at"] = time.time()
                time.sleep(0.005)

    poller = threading.Thread(target=poll)
    poller.start()
    script = PUBLISH_SCRIPT.format(path=path, title=title)
    committed = commit_time(manage(node_a.env, "shell", "--no-imports", "-c", script))
    poller.join()
    with psycopg.connect(replica.url(database), autocommit=True) as conn:
        readers = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
            "AND pid <> pg_backend_pid()",
            [database],
        ).fetchone()[0]
    lag_bytes, _ = replica.lag(database)
    shown = f"{(found['at'] - committed) * 1000:.0f} ms" if found else "NOT SEEN"
    print(
        f"5. replica on port {replica.port}: a publish on node A visible there "
        f"{shown} after its commit; lag now {lag_bytes} bytes; during the storm "
        f"at most {max(storm_lag, default=0)} bytes behind (sampled every 0.5 s); "
        f"{readers} node connections open on it"
    )
    return bool(found)


def run(args, tmp, server, database_url, database):
    redis, redis_url = start_redis(tmp)
    s3, endpoint = start_s3("cluster-media")
    proxy = free_port()
    shared = {
        **RAISED_LIMITS,
        **S3_KEYS,
        "AWS_STORAGE_BUCKET_NAME": "cluster-media",
        "AWS_S3_ENDPOINT_URL": endpoint,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "SITE_URL": f"http://127.0.0.1:{proxy}",
        "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{proxy}",
    }
    env = production_env(Path(tmp) / "a", **shared)
    parts = [redis, s3]
    try:
        install_newsroom(env, args.corpus, args.articles, tmp)
        password = "cluster-" + env["SECRET_KEY"][:20]
        setup = SETUP_SCRIPT.format(password=password, article=ARTICLE, watcher=WATCHER)
        manage(env, "shell", "--no-imports", "-c", setup)
        replica = Replica(server, Path(tmp) / "replica", args.replica_port).start()
        parts.append(replica)
        env["DATABASE_REPLICA_URL"] = replica.url(database)
        node_a = Node("A", env, Path(tmp) / "a")
        node_b = Node("B", env, Path(tmp) / "b")
        # Nothing shared on disk: B gets its own copy of the signing key (as
        # every node of a site does) and collects its own static files.
        key = node_b.var_dir / "provenance" / "signing-key.pem"
        key.parent.mkdir(mode=0o700, parents=True)
        shutil.copy2(env["PROVENANCE_SIGNING_KEY_FILE"], key)
        node_b.env["PROVENANCE_SIGNING_KEY_FILE"] = str(key)
        manage(node_b.env, "collectstatic", "--noinput")
        for node in (node_a, node_b):
            node.start()
            parts.append(node)
        worker_dir = Path(tmp) / "worker"
        worker_dir.mkdir(mode=0o700)
        workers = [start_worker(env, worker_dir)]
        parts.append(workers)
        nginx_dir = Path(tmp) / "nginx"
        parts.append(
            start_nginx(
                nginx_dir, proxy, [node_a.port, node_b.port], Path(tmp) / "a/static"
            )
        )
        base = f"http://127.0.0.1:{proxy}"
        ok = publish_figure(node_a, node_b, base)
        ok &= upload_figure(node_a, node_b, password, tmp)
        stop, storm_lag = threading.Event(), []
        sampler = threading.Thread(
            target=sample_lag, args=(replica, database, stop, storm_lag)
        )
        sampler.start()
        try:
            ok &= storm_figure(args, node_a, node_b, workers, base, env, tmp)
        finally:
            stop.set()
            sampler.join()
        for node in (node_a, node_b):
            print(f"4. node {node.name} /readyz: {node.readyz()}")
        ok &= replica_figure(replica, database, node_a, storm_lag)
        return ok
    finally:
        for part in reversed(parts):
            if isinstance(part, list):
                for worker in part:
                    worker.terminate()
            elif hasattr(part, "stop"):
                part.stop()
            else:
                part.terminate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--replica-port", type=int, default=5440)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--commenters", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="byline-cluster-") as tmp:
        Path(tmp).chmod(0o755)  # the replica's server user enters it
        database, database_url = scratch_postgres(args.postgres)
        try:
            ok = run(args, tmp, args.postgres, database_url, database)
        finally:
            drop_postgres(args.postgres, database)
    print("PASS" if ok else "FAIL: see the figures above")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
