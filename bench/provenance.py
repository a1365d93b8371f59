"""What signing costs: import, one publish, checking the log, verifying over HTTP.

    .venv/bin/python bench/provenance.py [CORPUS.jsonl] [--articles 10000]

Imports the corpus repeated to N articles into a fresh production-mode install
(every article signed as it is imported), then prints: the share of the import
spent signing (the same import with signing disconnected, in a second install),
the time to publish one edited article with and without its signature, the time
for `provenance --check` over the whole log, and the time for the standalone
verifier to check one article against gunicorn.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import (
    DEFAULT_CORPUS,
    ROOT,
    free_port,
    manage,
    production_env,
    repeat_corpus,
    start_gunicorn,
)

PUBLISH_SCRIPT = """
import time
from byline.news.models import ArticlePage
from byline.publishing import pipeline

def publish_times(count):
    times = []
    for article in ArticlePage.objects.live().order_by("pk")[:count]:
        article.title = article.title + "!"
        revision = article.save_revision()
        started = time.perf_counter()
        revision.publish()
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2]

signed = publish_times(30)
# The same pipeline without its signing step (byline/publishing/pipeline.py).
signing = pipeline.sign_publication
pipeline.PUBLISH = tuple(step for step in pipeline.PUBLISH if step is not signing)
unsigned = publish_times(30)
print(f"{signed * 1000:.1f} {unsigned * 1000:.1f}")
"""

DISCONNECT_SIGNING = """
from byline.news.signals import articles_imported
from byline.provenance import signals
articles_imported.disconnect(signals.sign_imports)
from django.core.management import call_command
call_command("import_articles", "{corpus}", "--no-progress")
"""


def last_line(text):
    return text.strip().splitlines()[-1].strip()


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="byline-provenance-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        repeat_corpus(Path(args.corpus), corpus, args.articles)
        signed_env = production_env(tmp / "signed", RELATED_AFTER_IMPORT="0")
        plain_env = production_env(tmp / "plain", RELATED_AFTER_IMPORT="0")
        for env in (signed_env, plain_env):
            manage(env, "migrate", "--noinput")

        signed_s, _ = timed(
            manage, signed_env, "import_articles", str(corpus), "--no-progress"
        )
        plain_s, _ = timed(
            manage,
            plain_env,
            "shell",
            "--no-imports",
            "-c",
            DISCONNECT_SIGNING.format(corpus=corpus),
        )
        print(f"articles: {args.articles}")
        print(
            f"import with signing {signed_s:.1f} s, without {plain_s:.1f} s "
            f"(signing {signed_s - plain_s:+.1f} s, "
            f"{(signed_s - plain_s) / args.articles * 1000:.2f} ms per article)"
        )
        check_s, out = timed(manage, signed_env, "provenance", "--check")
        print(f"provenance --check over the whole log: {check_s:.1f} s ({out.strip()})")
        publish = last_line(
            manage(signed_env, "shell", "--no-imports", "-c", PUBLISH_SCRIPT)
        ).split()
        print(
            f"one publish (median of 30): {publish[0]} ms signed, {publish[1]} ms not"
        )

        manage(signed_env, "collectstatic", "--noinput")
        url = last_line(
            manage(
                signed_env, "shell", "--no-imports", "-c",
                "from byline.news.models import ArticlePage;"
                "print(ArticlePage.objects.live().order_by('-pk')[0].url)",
            )
        )  # fmt: skip
        port = free_port()
        server = start_gunicorn(signed_env, port, 2)
        try:
            started = time.perf_counter()
            result = subprocess.run(
                [sys.executable, str(ROOT / "tools" / "verify_article.py"),
                 f"http://127.0.0.1:{port}{url}"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            verify_s = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(timeout=20)
        verdict = last_line(result.stdout + result.stderr)
        print(f"tools/verify_article.py on one article: {verify_s:.2f} s, {verdict}")


if __name__ == "__main__":
    main()
