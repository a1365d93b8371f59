"""The gunicorn worker `make run` and production serve with (deploy/gunicorn.conf.py).

uvicorn's worker for gunicorn, an event loop serving `byline.asgi` (pagecache/asgi.py
says why), through the worker's documented CONFIG_KWARGS, with uvicorn's defaults
changed where they would have changed what gthread did:

- `proxy_headers`: off. uvicorn would take the client's address from
  X-Forwarded-For when the peer is in gunicorn's `forwarded_allow_ips`. Who the
  client is behind a proxy stays core/clientip.py's decision (TRUSTED_PROXIES),
  made on the peer's address as gthread gave it, with its tests; the scheme comes
  from SECURE_PROXY_SSL_HEADER (BEHIND_TLS_PROXY), as before.
- `server_header`: off, no `Server: uvicorn` on every answer.
- `http`: uvicorn's httptools protocol with gunicorn's request limits
  (`limit_request_line`, `limit_request_fields`, `limit_request_field_size`),
  which uvicorn's parser does not have, and a time limit on a request's head
  (`LimitedHttpToolsProtocol`): without them a client could send a head or a
  trailer of any size, kept in memory until its end, or hold a connection open
  by sending nothing. uvicorn's `limit_concurrency` is not used: it counts idle
  connections, so a client holding many made every request 503; requests
  waiting for the threads are bounded in pagecache/asgi.py instead.

What this module touches in uvicorn beyond its documented settings, and
pagecache/tests/test_worker.py checks on every run (an upgrade that changes them
fails there): HttpToolsProtocol's parser callbacks `on_message_begin`, `on_url`,
`on_header`, `on_headers_complete`, `on_body` and `on_message_complete`
(httptools' callback interface), its `connection_made`, `connection_lost`,
`data_received`, `send_400_response`, `url`, `logger` and `transport`, and that
a callback's exception is answered by `send_400_response`.

The event loop (uvloop) and the HTTP parser (httptools) uvicorn picks are imported
here, in the master, which loads the worker class before it forks: imported by
each worker as it starts, they were private memory of each (memory at rest is a
budget, README).
"""

import asyncio

# Loaded before the fork, so shared (see above).
import uvicorn.loops.uvloop  # noqa: F401
import uvloop  # noqa: F401
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

REASONS = {
    408: b"Request Timeout",
    414: b"URI Too Long",
    431: b"Request Header Fields Too Large",
}
# gunicorn's own bounds on its settings (gunicorn/http/message.py).
MAX_REQUEST_LINE, MAX_FIELDS, MAX_FIELD_SIZE = 8190, 32768, 8190


class RequestRefused(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol refusing what gunicorn refused: 414 for a
    request line longer than `line_limit` bytes; 431 for more than
    `fields_limit` header fields, a field longer than `field_limit`, or that
    many bytes received while the parser delivered nothing (a field it keeps,
    unseen, until it ends: in the head or in a chunked body's trailers); 408
    for a head not complete `head_timeout` seconds after the request began,
    and a connection that sent nothing for that long is closed. The
    connection is closed after a refusal; a refusal after the request reached
    the application (its trailers) closes it without a second answer."""

    line_limit = 4094
    fields_limit = 100
    field_limit = 8190
    head_timeout = 20.0

    def connection_made(self, transport):
        super().connection_made(transport)
        self._in_head, self._fields, self._unseen, self._delivered = True, 0, 0, 0
        self._refusal, self._timer, self._began = None, None, False
        self._arm_head_timer()

    def on_message_begin(self):
        self._in_head, self._fields, self._unseen = True, 0, 0
        self._refusal, self._began = None, True
        self._arm_head_timer()
        super().on_message_begin()

    def on_url(self, url):
        self._delivered += 1
        super().on_url(url)
        if len(self.url) > self.line_limit:
            self._refuse(
                414, f"The request line is longer than {self.line_limit} bytes."
            )

    def on_header(self, name, value):
        self._delivered += 1
        self._fields += 1
        if self._fields > self.fields_limit:
            self._refuse(431, f"More than {self.fields_limit} header fields.")
        if len(name) + len(value) + 2 > self.field_limit:
            self._refuse(
                431, f"A header field is longer than {self.field_limit} bytes."
            )
        super().on_header(name, value)

    def on_headers_complete(self):
        self._delivered += 1
        self._in_head = False
        self._cancel_head_timer()
        super().on_headers_complete()

    def on_body(self, body):
        self._delivered += 1
        super().on_body(body)

    def on_message_complete(self):
        self._delivered += 1
        super().on_message_complete()

    def data_received(self, data):
        delivered = self._delivered
        super().data_received(data)
        if self.transport.is_closing():
            return
        # Nothing delivered: all of this chunk is a field the parser keeps.
        self._unseen = self._unseen + len(data) if delivered == self._delivered else 0
        if self._unseen > self.field_limit + 2:
            self._refusal = RequestRefused(431, "A header field is too long.")
            self.send_400_response("")

    def connection_lost(self, exc):
        self._cancel_head_timer()
        super().connection_lost(exc)

    def _arm_head_timer(self):
        self._cancel_head_timer()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.head_timeout, self._head_timed_out)

    def _cancel_head_timer(self):
        if getattr(self, "_timer", None) is not None:
            self._timer.cancel()
            self._timer = None

    def _head_timed_out(self):
        self._timer = None
        if not self._in_head or self.transport.is_closing():
            return
        if not self._began:
            # Nothing sent yet (a browser's preconnection): closed without an
            # answer, as nginx does; a 408 there could be read as the answer
            # to a request the client sends at that moment.
            self.transport.close()
            return
        self._refusal = RequestRefused(408, "No complete request in time.")
        self.send_400_response("")

    def _refuse(self, status, message):
        self._refusal = RequestRefused(status, message)
        raise self._refusal  # the parser stops; uvicorn calls send_400_response

    def send_400_response(self, msg):
        refusal = getattr(self, "_refusal", None)
        if refusal is None:
            return super().send_400_response(msg)
        self._cancel_head_timer()
        if not self._in_head:  # trailers: the application has the request
            self.logger.warning("Closed a connection: %s (in trailers)", refusal)
            self.transport.close()
            return
        self.logger.warning("Refused a request: %s", refusal)
        body = str(refusal).encode("ascii")
        self.transport.write(
            b"HTTP/1.1 %d %s\r\n" % (refusal.status, REASONS[refusal.status])
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: %d\r\nconnection: close\r\n\r\n" % len(body)
            + body
        )
        self.transport.close()


def limited_protocol(cfg):
    """The protocol class with the limits of gunicorn's settings `cfg`, read as
    gunicorn reads them (0 or less: its own bound)."""
    line = cfg.limit_request_line
    if line < 0 or line >= MAX_REQUEST_LINE:
        line = MAX_REQUEST_LINE
    elif line == 0:
        line = 1024 * 1024  # gunicorn's "unlimited"
    fields = cfg.limit_request_fields
    if fields <= 0 or fields > MAX_FIELDS:
        fields = MAX_FIELDS
    field = cfg.limit_request_field_size
    if field <= 0:
        field = MAX_FIELD_SIZE
    return type(
        "LimitedHttpToolsProtocol",
        (LimitedHttpToolsProtocol,),
        {"line_limit": line, "fields_limit": fields, "field_limit": field},
    )


class EventLoopWorker(UvicornWorker):
    @property
    def CONFIG_KWARGS(self):
        """Read by UvicornWorker.__init__ once gunicorn's settings are set."""
        return {
            **UvicornWorker.CONFIG_KWARGS,
            "proxy_headers": False,
            "server_header": False,
            "http": limited_protocol(self.cfg),
        }
