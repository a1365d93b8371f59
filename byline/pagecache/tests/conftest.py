"""Fixtures shared by the page-cache tests: a real proxy to purge, and a publish."""

import http.server
import threading

import pytest


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
