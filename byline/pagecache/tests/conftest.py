"""Fixtures shared by the page-cache tests: a real proxy to purge, and a publish."""

import http.server
import threading

import pytest


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an edit the way the editor does, running what waits for commit."""

    def edit(article, **fields):
        with django_capture_on_commit_callbacks(execute=True):
            for name, value in fields.items():
                if name == "tags":
                    article.tags.set(value, clear=True)
                else:
                    setattr(article, name, value)
            article.save_revision().publish()
        article.refresh_from_db()
        return article

    return edit


class _PurgeLog(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_PURGE(self):
        self.seen.append(f"{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(settings):
    """A real HTTP server standing in for Varnish: it records PURGE requests."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _PurgeLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _PurgeLog.seen = []
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield _PurgeLog.seen
    server.shutdown()
