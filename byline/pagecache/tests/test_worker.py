"""The worker `make run` serves with keeps gunicorn's bounds (pagecache/worker.py):
request heads past gunicorn's limits are refused with a reason, and requests past
`worker_connections` are answered 503 at once instead of queued without bound.

Served by a real uvicorn server on a socket, with the protocol class the worker
gives it, and asked over raw TCP, as a client would."""

import asyncio
import os
import socket
import threading
import time

import pytest
import uvicorn
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger

from byline.pagecache.worker import EventLoopWorker, limited_protocol


async def echo(scope, receive, send):
    """Answers with the request's body; `/wait` holds the request a while."""
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if scope["path"] == "/wait":
        await asyncio.sleep(1.5)
    headers = [(b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _gunicorn_settings(**values):
    cfg = GunicornConfig()
    for name, value in values.items():
        cfg.set(name, value)
    return cfg


@pytest.fixture
def serve():
    servers = []

    def start(**gunicorn_settings):
        worker = EventLoopWorker(
            0,
            os.getpid(),
            [],
            None,
            30,
            cfg := _gunicorn_settings(**gunicorn_settings),
            Logger(cfg),
        )
        worker.config.app, worker.config.lifespan = echo, "off"
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        server = uvicorn.Server(worker.config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [listener]}, daemon=True
        )
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        return listener.getsockname()[1]

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(10)


def _ask(port, *parts):
    """Send `parts` (stopping if the server closes), return what came back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        try:
            for part in parts:
                client.sendall(part)
        except OSError:
            pass  # closed by the server mid-way: its answer is read below
        answer = b""
        try:
            while chunk := client.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    return answer


def _status(answer):
    return int(answer.split(b" ", 2)[1]) if answer else None


HEAD = b"Host: x\r\nConnection: close\r\n"


def test_a_request_line_past_the_limit_is_refused_with_414(serve):
    port = serve(limit_request_line=200)
    answer = _ask(port, b"GET /" + b"a" * 300 + b" HTTP/1.1\r\n" + HEAD + b"\r\n")
    assert _status(answer) == 414
    assert answer.endswith(b"The request line is longer than 200 bytes.")
    assert (
        _status(_ask(port, b"GET /" + b"a" * 150 + b" HTTP/1.1\r\n" + HEAD + b"\r\n"))
        == 200
    )


def test_too_many_header_fields_are_refused_with_431(serve):
    port = serve(limit_request_fields=20)

    def fields(count):  # besides HEAD's two
        return b"".join(b"X-N%d: y\r\n" % n for n in range(count))

    answer = _ask(port, b"GET / HTTP/1.1\r\n" + HEAD + fields(19) + b"\r\n")
    assert _status(answer) == 431 and answer.endswith(b"More than 20 header fields.")
    assert (
        _status(_ask(port, b"GET / HTTP/1.1\r\n" + HEAD + fields(18) + b"\r\n")) == 200
    )


def test_a_header_field_past_the_limit_is_refused_with_431(serve):
    port = serve(limit_request_field_size=1000)
    big = b"X-Big: " + b"a" * 1000 + b"\r\n"
    answer = _ask(port, b"GET / HTTP/1.1\r\n" + HEAD + big + b"\r\n")
    assert _status(answer) == 431
    assert answer.endswith(b"A header field is longer than 1000 bytes.")


def test_a_head_that_never_ends_is_refused_before_it_is_all_received(serve):
    """httptools keeps a field until its end, unseen by the callbacks: the bytes
    of an unfinished head are counted as they arrive."""
    port = serve()  # gunicorn's defaults: a head of at most about 820 KB
    endless = [b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: "] + [b"a" * 65536] * 160
    answer = _ask(port, *endless)  # 10 MB offered
    assert _status(answer) == 431
    assert answer.endswith(b"The request's head is too large.")


def test_a_large_body_is_not_counted_as_head(serve):
    port = serve(limit_request_line=200, limit_request_field_size=1000)
    body = b"b" * 2_000_000
    answer = _ask(
        port,
        b"POST / HTTP/1.1\r\n"
        + HEAD
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body,
    )
    assert _status(answer) == 200 and answer.endswith(body[:1000])


def test_requests_past_worker_connections_are_answered_503_at_once(serve):
    port = serve(worker_connections=3)  # uvicorn counts the newcomer in: two held
    answers = []

    def ask_and_keep():
        answers.append(_ask(port, b"GET /wait HTTP/1.1\r\n" + HEAD + b"\r\n"))

    waiting = [threading.Thread(target=ask_and_keep) for _ in range(2)]
    for thread in waiting:
        thread.start()
    time.sleep(0.5)  # both held by the application
    started = time.monotonic()
    refused = _ask(port, b"GET /wait HTTP/1.1\r\n" + HEAD + b"\r\n")
    assert _status(refused) == 503 and time.monotonic() - started < 1
    for thread in waiting:
        thread.join(10)
    assert [_status(answer) for answer in answers] == [200, 200]


def test_the_worker_hands_uvicorn_gunicorns_settings():
    cfg = _gunicorn_settings(
        worker_connections=7,
        limit_request_line=10,
        limit_request_fields=11,
        limit_request_field_size=12,
    )
    worker = EventLoopWorker(0, os.getpid(), [], None, 30, cfg, Logger(cfg))
    config = worker.config
    assert config.proxy_headers is False and config.server_header is False
    assert config.limit_concurrency == 7
    limits = (config.http.line_limit, config.http.fields_limit, config.http.field_limit)
    assert limits == (10, 11, 12)
    assert limited_protocol(cfg).__mro__[1].__name__ == "LimitedHttpToolsProtocol"
