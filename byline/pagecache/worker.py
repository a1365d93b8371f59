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
- `limit_concurrency`: gunicorn's `worker_connections` (1,000 by default). Without
  it a worker took every connection offered and queued every request for its
  threads, without bound; past it, uvicorn answers 503 at once.
- `http`: uvicorn's httptools protocol with gunicorn's request limits
  (`limit_request_line`, `limit_request_fields`, `limit_request_field_size`),
  which uvicorn's parser does not have: without them a client could send a head
  of any size, kept in memory until its end (`LimitedHttpToolsProtocol`).

What this module touches in uvicorn beyond its documented settings, and
pagecache/tests/test_worker.py checks on every run (an upgrade that changes them
fails there): HttpToolsProtocol's parser callbacks `on_message_begin`, `on_url`,
`on_header` and `on_headers_complete` (httptools' callback interface), its
`data_received`, `send_400_response` and `transport`, and that a callback's
exception is answered by `send_400_response`.

The event loop (uvloop) and the HTTP parser (httptools) uvicorn picks are imported
here, in the master, which loads the worker class before it forks: imported by
each worker as it starts, they were private memory of each (memory at rest is a
budget, README).
"""

# Loaded before the fork, so shared (see above).
import uvloop  # noqa: F401
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker

REASONS = {414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


class RequestTooLarge(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol refusing a request whose head is past the
    limits: 414 for a request line longer than `line_limit` bytes, 431 for more
    than `fields_limit` header fields, a field longer than `field_limit`, or a
    head that has not ended after what those limits allow (a field still being
    received is kept by the parser, unseen, until it ends). 0 means no limit,
    as in gunicorn. The connection is closed after the refusal."""

    line_limit = 4094
    fields_limit = 100
    field_limit = 8190

    def on_message_begin(self):
        self._in_head, self._head_bytes, self._fields, self._refusal = True, 0, 0, None
        super().on_message_begin()

    def on_url(self, url):
        super().on_url(url)
        if self.line_limit and len(self.url) > self.line_limit:
            self._refuse(
                414, f"The request line is longer than {self.line_limit} bytes."
            )

    def on_header(self, name, value):
        self._fields += 1
        if self.fields_limit and self._fields > self.fields_limit:
            self._refuse(431, f"More than {self.fields_limit} header fields.")
        if self.field_limit and len(name) + len(value) + 2 > self.field_limit:
            self._refuse(
                431, f"A header field is longer than {self.field_limit} bytes."
            )
        super().on_header(name, value)

    def on_headers_complete(self):
        self._in_head = False
        super().on_headers_complete()

    def data_received(self, data):
        super().data_received(data)
        if not getattr(self, "_in_head", False) or self.transport.is_closing():
            return
        # Still in the head after this chunk, so all of it was head.
        self._head_bytes += len(data)
        if self._head_bytes > self._head_limit():
            self._refusal = RequestTooLarge(431, "The request's head is too large.")
            self.send_400_response("")

    def _head_limit(self):
        if not (self.line_limit and self.fields_limit and self.field_limit):
            return float("inf")
        return self.line_limit + 2 + self.fields_limit * (self.field_limit + 2) + 2

    def _refuse(self, status, message):
        self._refusal = RequestTooLarge(status, message)
        raise self._refusal  # the parser stops; uvicorn calls send_400_response

    def send_400_response(self, msg):
        refusal = getattr(self, "_refusal", None)
        if refusal is None:
            return super().send_400_response(msg)
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
    """The protocol class with the limits of gunicorn's settings `cfg`."""
    return type(
        "LimitedHttpToolsProtocol",
        (LimitedHttpToolsProtocol,),
        {
            "line_limit": cfg.limit_request_line,
            "fields_limit": cfg.limit_request_fields,
            "field_limit": cfg.limit_request_field_size,
        },
    )


class EventLoopWorker(UvicornWorker):
    @property
    def CONFIG_KWARGS(self):
        """Read by UvicornWorker.__init__ once gunicorn's settings are set."""
        return {
            **UvicornWorker.CONFIG_KWARGS,
            "proxy_headers": False,
            "server_header": False,
            "limit_concurrency": self.cfg.worker_connections,
            "http": limited_protocol(self.cfg),
        }
