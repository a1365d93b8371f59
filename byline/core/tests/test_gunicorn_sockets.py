"""gunicorn, as deploy/gunicorn.conf.py configures it, gives each worker a
listening socket of its own, so that keep-alive connections are spread over
the workers instead of piling up on whichever woke first; and it keeps the
one shared socket where separate ones cannot work."""

import logging
import runpy
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from byline.core.tests.test_serving import ROOT, site  # noqa: F401 (fixture)
from byline.operations.tests.test_backup import machines  # noqa: F401 (fixture)

CONF = ROOT / "deploy" / "gunicorn.conf.py"
CONNECTIONS = 64


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _gunicorn(env, bind, log, workers=2):
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(CONF),
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--env",
            "THREADS=1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
    )


def _keep_alive_connection(port):
    """A connection that has had one answer and stays open."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=20)
    connection.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while b"Disallow" not in answer:
        chunk = connection.recv(65536)
        assert chunk, answer
        answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    return connection


def _established_inodes(port, state="01"):
    """Socket inodes of the server's side of established connections on `port`
    (state "0A": its listening sockets)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def _held_by(pid, inodes):
    return len(_sockets_of(pid) & inodes)


def _sockets_of(pid):
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = fd.readlink().name
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _workers(master):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc")
def test_keep_alive_connections_are_spread_over_the_workers(site, tmp_path):  # noqa: F811
    """Each worker listens on a socket of its own (with the one socket the
    master shared, one worker was seen taking all of wrk's connections), and
    64 keep-alive connections end up with each worker holding at least a
    quarter of them."""
    env, _ = site
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    server = _gunicorn(env, f"127.0.0.1:{port}", log)
    connections = []
    try:
        deadline = time.monotonic() + 120
        while log.read_text().count("Booting worker") < 2 or not _probe(port):
            assert time.monotonic() < deadline and server.poll() is None, (
                log.read_text()
            )
            time.sleep(0.5)
        listening = _established_inodes(port, state="0A")
        workers = _workers(server.pid)
        own = [_sockets_of(pid) & listening for pid in workers]
        assert len(listening) == 2 and all(len(mine) == 1 for mine in own), own
        assert own[0] != own[1]
        connections = [_keep_alive_connection(port) for _ in range(CONNECTIONS)]
        inodes = _established_inodes(port)
        held = sorted(_held_by(pid, inodes) for pid in workers)
        assert sum(held) >= CONNECTIONS, held
        assert len(held) == 2 and held[0] >= CONNECTIONS // 4, held
    finally:
        for connection in connections:
            connection.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _probe(port):
    try:
        _keep_alive_connection(port).close()
        return True
    except OSError:
        return False


def test_a_port_another_server_listens_on_is_refused(site, tmp_path):  # noqa: F811
    """SO_REUSEPORT would quietly share a port with another server that set it
    too (a second `make run`): gunicorn stops with a clear reason instead."""
    env, _ = site
    with socket.socket() as other:
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        log = tmp_path / "gunicorn.log"
        server = _gunicorn(env, f"127.0.0.1:{port}", log)
        try:
            assert server.wait(timeout=60) != 0
        finally:
            if server.poll() is None:
                server.kill()
    assert f"127.0.0.1:{port} is already in use" in log.read_text()


@pytest.mark.parametrize(
    ("bind", "own_sockets"),
    [
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("unix:/run/byline/gunicorn.sock", False),
        ("127.0.0.1:0", False),
        ("fd://3", False),
    ],
)
def test_each_worker_has_its_own_socket_only_where_that_can_work(
    bind, own_sockets, monkeypatch
):
    """A unix socket would be unlinked and made again by each worker; port 0
    would give each worker a different port; inherited sockets are shared."""
    monkeypatch.delenv("GUNICORN_FD", raising=False)
    monkeypatch.delenv("LISTEN_FDS", raising=False)
    settings = runpy.run_path(str(CONF))
    cfg = Config()
    cfg.set("reuse_port", settings["reuse_port"])
    cfg.set("bind", [bind])
    server = SimpleNamespace(cfg=cfg, log=logging.getLogger("test"))
    address = cfg.address[0]
    taken = None
    if own_sockets:
        # The port must be free for the check that refuses a taken one.
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        taken = socket.socket(family)
        taken.bind((address[0], 0))
        cfg.set("bind", [bind.rsplit(":", 1)[0] + f":{taken.getsockname()[1]}"])
        taken.close()
    settings["on_starting"](server)
    assert cfg.reuse_port is own_sockets
