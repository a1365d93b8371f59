"""Serve kept pages before Django builds a request: the page cache's fast path.

A hit here costs a cache read and a version check, no middleware, no request
object, no database. Everything else (misses, personal requests, conditional
requests it cannot answer) goes to Django, whose PageCacheMiddleware keeps
pages and answers the same way. Both compute the key with `key_for`.
"""

from urllib.parse import parse_qsl

from django.conf import settings
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.http.cookie import parse_cookie
from django.utils.http import parse_http_date_safe

from byline.pagecache.middleware import kept_entry, key_for

STATUS = {200: "200 OK", 304: "304 Not Modified"}
# What a 304 repeats of the full answer (RFC 9110, 15.4.5).
NOT_MODIFIED_KEEPS = {
    "cache-control",
    "content-location",
    "etag",
    "expires",
    "last-modified",
    "vary",
}


def _scheme(environ):
    header = settings.SECURE_PROXY_SSL_HEADER
    if header and environ.get(header[0]) == header[1]:
        return "https"
    return environ.get("wsgi.url_scheme", "http")


def _host(environ):
    host = environ.get("HTTP_HOST")
    if host:
        return host
    port = environ.get("SERVER_PORT", "")
    default = "443" if _scheme(environ) == "https" else "80"
    name = environ.get("SERVER_NAME", "")
    return name if port == default else f"{name}:{port}"


def _not_modified(environ, etag, modified):
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [t.strip().removeprefix("W/") for t in match.split(",")]
        return "*" in tags or etag in tags
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since is not None:
        since, last = parse_http_date_safe(since), parse_http_date_safe(modified)
        return since is not None and last is not None and last <= since
    return False


class PageCacheApplication:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if settings.PAGE_CACHE:
            answer = self._kept(environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self.application(environ, start_response)

    def _kept(self, environ):
        method = environ.get("REQUEST_METHOD", "GET")
        if method not in ("GET", "HEAD"):
            return None  # before parsing anything
        path = get_script_name(environ) + get_path_info(environ)
        key = key_for(
            method,
            parse_cookie(environ.get("HTTP_COOKIE", "")),
            parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            _scheme(environ),
            _host(environ),
            path,
        )
        entry = kept_entry(key) if key else None
        if entry is None:
            return None
        status, headers, body, etag, modified = entry
        if _not_modified(environ, etag, modified):
            kept = [(n, v) for n, v in headers if n.lower() in NOT_MODIFIED_KEEPS]
            return STATUS[304], [*kept, ("X-Page-Cache", "hit")], b""
        headers = [
            *headers,
            ("Content-Length", str(len(body))),
            ("X-Page-Cache", "hit"),
        ]
        return (
            STATUS.get(status, f"{status} OK"),
            headers,
            (b"" if method == "HEAD" else body),
        )
