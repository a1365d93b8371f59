"""The gunicorn worker `make run` and production serve with (deploy/gunicorn.conf.py).

uvicorn's worker for gunicorn, an event loop serving `byline.asgi` (pagecache/asgi.py
says why), through the worker's documented CONFIG_KWARGS, with two of uvicorn's
defaults turned off so that serving changed nothing else:

- `proxy_headers`: uvicorn would take the client's address from X-Forwarded-For
  when the peer is in gunicorn's `forwarded_allow_ips`. Who the client is behind
  a proxy stays core/clientip.py's decision (TRUSTED_PROXIES), made on the peer's
  address as gthread gave it, with its tests; the scheme comes from
  SECURE_PROXY_SSL_HEADER (BEHIND_TLS_PROXY), as before.
- `server_header`: no `Server: uvicorn` on every answer.

The event loop (uvloop) and the HTTP parser (httptools) uvicorn picks are imported
here, in the master, which loads the worker class before it forks: imported by
each worker as it starts, they were private memory of each (memory at rest is a
budget, README).
"""

# Loaded before the fork, so shared (see above).
import uvicorn.loops.uvloop
import uvicorn.protocols.http.httptools_impl  # noqa: F401
import uvloop  # noqa: F401
from uvicorn_worker import UvicornWorker


class EventLoopWorker(UvicornWorker):
    CONFIG_KWARGS = {
        **UvicornWorker.CONFIG_KWARGS,
        "proxy_headers": False,
        "server_header": False,
    }
