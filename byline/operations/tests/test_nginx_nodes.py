"""deploy/nginx-site.conf in front of several nodes: a reader's page comes from
a node that answers when another fails (README, "Running several nodes")."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from byline.security.tests import nginx


class FailingNode(BaseHTTPRequestHandler):
    """A node whose gunicorn is gone from behind its port: 502 to everything."""

    def do_GET(self):
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_node():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FailingNode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def two_nodes(live_server, failing_node, tmp_path, settings):
    """nginx with two upstream servers: the failing node first, then Byline."""
    reason = nginx.missing()
    if reason:
        pytest.skip(reason)
    live = live_server.url.removeprefix("http://")
    proxy = nginx.Nginx(tmp_path / "nginx", [failing_node, live], settings.STATIC_ROOT)
    yield proxy
    proxy.stop()


def test_a_reader_is_served_by_the_next_node_when_one_fails(two_nodes):
    """Every read is answered by the working node, none with the 502 of the
    failing one."""
    statuses = [two_nodes.get("/healthz")[0] for _ in range(10)]
    assert statuses == [200] * 10


def test_both_nodes_are_in_the_upstream(two_nodes):
    """One server line per node, as the shipped file is filled in."""
    site = (two_nodes.prefix / "site.conf").read_text()
    servers = [line.split()[1] for line in site.splitlines() if "max_fails" in line]
    assert len(servers) == 2
