"""The worker `make run` serves with keeps gunicorn's bounds (pagecache/worker.py):
request heads and trailers past gunicorn's limits are refused with a reason, a
head that does not arrive in time is answered 408, and idle connections cost
other clients nothing.

Served by a real uvicorn server on a socket, with the protocol class the worker
gives it, and asked over raw TCP, as a client would."""

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
    if scope["path"] == "/early":  # answers without reading the body
        start = {"type": "http.response.start", "status": 200, "headers": []}
        await send(start)
        await send({"type": "http.response.body", "body": b"early"})
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
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

    def start(head_timeout=None, **gunicorn_settings):
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
        if head_timeout is not None:
            worker.config.http.head_timeout = head_timeout
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


def test_a_head_field_that_never_ends_is_refused_before_it_is_all_received(serve):
    """httptools keeps a field until its end, unseen by the callbacks: the bytes
    received while it delivers nothing are counted as they arrive."""
    port = serve()
    endless = [b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: "] + [b"a" * 65536] * 160
    answer = _ask(port, *endless)  # 10 MB offered
    assert _status(answer) == 431
    assert answer.endswith(b"A header field is too long.")


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


def test_idle_connections_do_not_turn_requests_away(serve):
    """uvicorn's limit_concurrency counted connections that never sent a
    request: with worker_connections of them open, every request had a 503."""
    port = serve(worker_connections=3)
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(10)]
    try:
        assert _status(_ask(port, b"GET / HTTP/1.1\r\n" + HEAD + b"\r\n")) == 200
    finally:
        for connection in idle:
            connection.close()


def test_a_connection_without_a_complete_head_in_time_is_closed(serve):
    port = serve(head_timeout=0.5)
    started = time.monotonic()
    assert _ask(port) == b""  # sent nothing: closed without an answer, as nginx does
    answer = _ask(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a")  # trickling
    assert _status(answer) == 408 and answer.endswith(b"No complete request in time.")
    assert time.monotonic() - started < 5
    keep_alive = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"  # answered, then idle
    assert _status(_ask(port, keep_alive)) == 200


def test_an_endless_trailer_is_refused_as_a_head_field_would_be(serve):
    """A chunked body's trailer fields are parsed as head fields are: one that
    never ends is not kept whole either."""
    port = serve()
    chunked = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    endless = [chunked + b"3\r\nabc\r\n0\r\nX-Trailer: "] + [b"a" * 65536] * 160
    started = time.monotonic()
    assert _ask(port, *endless) == b""  # closed: the application had the request
    assert time.monotonic() - started < 8
    assert _status(_ask(port, b"GET / HTTP/1.1\r\n" + HEAD + b"\r\n")) == 200


def test_a_refused_trailer_after_the_answer_sends_no_second_answer(serve):
    port = serve(limit_request_field_size=1000)
    head = b"POST /early HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as client:
        client.sendall(head)
        time.sleep(0.5)  # the application has answered
        client.sendall(b"0\r\nX-Trailer: " + b"a" * 2000 + b"\r\n\r\n")
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
    assert answer.count(b"HTTP/1.1 ") == 1 and _status(answer) == 200


def test_zero_means_gunicorns_own_bound_as_in_gunicorn():
    cfg = _gunicorn_settings(
        limit_request_line=0, limit_request_fields=0, limit_request_field_size=0
    )
    protocol = limited_protocol(cfg)
    assert (protocol.line_limit, protocol.fields_limit, protocol.field_limit) == (
        1024 * 1024,
        32768,
        8190,
    )


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
    assert config.limit_concurrency is None  # it counted idle connections
    limits = (config.http.line_limit, config.http.fields_limit, config.http.field_limit)
    assert limits == (10, 11, 12)
    assert limited_protocol(cfg).__mro__[1].__name__ == "LimitedHttpToolsProtocol"
