"""Debian's nginx in front of a test server, running deploy/nginx-site.conf as shipped.

Only the ${NAME}s of the shipped file are filled in; everything else is the
file a site owner installs, so the attack tests see what a real install does.
"""

import http.client
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")

MAIN = """
load_module {module};
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def missing():
    """Why nginx cannot run here, or None."""
    if not Path(NGINX).exists():
        return "nginx is not installed (apt-get install -y nginx-light)"
    if not PURGE_MODULE.exists():
        return "apt-get install -y libnginx-mod-http-cache-purge"
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_config(**values):
    """deploy/nginx-site.conf with its ${NAME}s filled in (nginx's own
    $variables stay as they are). UPSTREAM may be a list of nodes: the
    upstream's server line is repeated for each, as the file says to."""
    text = (ROOT / "deploy" / "nginx-site.conf").read_text()
    nodes = values.pop("UPSTREAM")
    nodes = nodes if isinstance(nodes, list) else [nodes]
    line = next(
        line
        for line in text.splitlines()
        if line.strip().startswith("server ${UPSTREAM}")
    )
    text = text.replace(
        line, "\n".join(line.replace("${UPSTREAM}", node) for node in nodes)
    )
    for name, value in values.items():
        text = text.replace("${" + name + "}", str(value))
    return text


class Nginx:
    """nginx listening on 127.0.0.1:port, proxying to upstream (an address,
    or a list of nodes), for a site whose address is http://127.0.0.1:port."""

    def __init__(self, prefix, upstream, static_root):
        self.prefix = Path(prefix)
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.prefix.mkdir(parents=True, exist_ok=True)
        (self.prefix / "site.conf").write_text(
            site_config(
                LISTEN=self.host,
                SERVER_NAME="127.0.0.1",
                SITE_HOST=self.host,
                UPSTREAM=upstream,
                CACHE_DIR=self.prefix / "cache",
                STATIC_ROOT=static_root,
            )
        )
        (self.prefix / "nginx.conf").write_text(
            MAIN.format(module=PURGE_MODULE, prefix=self.prefix)
        )
        user = " user root;" if os.geteuid() == 0 else ""
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf")]
            + ["-g", "daemon off;" + user],
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx stopped: {self.process.stderr.read()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not start")

    def get(self, path, host=None, headers=None):
        """(status, headers, body text) of a GET through nginx, sent with this
        Host header (the site's own by default); None if nginx closed the
        connection without an answer."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.putrequest("GET", path, skip_host=True)
            connection.putheader("Host", host or self.host)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, dict(response.getheaders()), body
        except (http.client.RemoteDisconnected, ConnectionResetError):
            return None
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process.stderr.close()
