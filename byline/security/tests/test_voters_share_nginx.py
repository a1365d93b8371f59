"""Issue 18: a reader who has voted (and so holds a reader id cookie) is served
the shared pages from nginx and the app's cache, like every anonymous reader;
their own state comes from /comments/me/, which neither ever keeps."""

import http.client
import json

import pytest

from byline.comments import cookies

live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _served_by_nginx(proxy, path, cookie):
    for _ in range(3):
        status, headers, _ = proxy.get(path, headers={"Cookie": cookie})
        assert status == 200, (path, status)
        if headers.get("X-Proxy-Cache") == "HIT":
            return headers
    raise AssertionError(f"nginx never served {path} from its cache")


def _request(proxy, method, path, headers=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=30)
    try:
        connection.request(
            method, path, body=body, headers={"Host": proxy.host, **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode()
    finally:
        connection.close()


@live
def test_a_reader_who_voted_gets_pages_from_nginx(proxied_site, published_article):
    from byline.comments.models import Comment

    comment = Comment.objects.create(
        article=published_article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="A comment worth a vote.",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.filter(pk=comment.pk).update(root=comment)

    # The confirmation page gives the browser its reader id; the vote follows.
    status, headers, _ = _request(proxied_site, "GET", f"/comments/{comment.pk}/vote/")
    assert status == 200
    reader = headers["Set-Cookie"].split(";")[0]
    assert reader.startswith(cookies.READER_COOKIE + "=")
    status, _, body = _request(
        proxied_site,
        "POST",
        f"/comments/{comment.pk}/vote/",
        headers={
            "Cookie": reader,
            "Origin": f"http://{proxied_site.host}",
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body="value=up",
    )
    assert status == 200, body
    assert json.loads(body)["vote"] == "up"

    for path in (published_article.url, "/"):
        _served_by_nginx(proxied_site, path, reader)
    status, headers, body = _request(
        proxied_site,
        "GET",
        f"/comments/me/?article={published_article.pk}",
        headers={"Cookie": reader},
    )
    assert json.loads(body)["votes"] == {str(comment.pk): "up"}
    assert headers.get("X-Proxy-Cache") in (None, "BYPASS", "MISS")
    assert "no-store" in headers["Cache-Control"]
    # Asked again, it is answered again: never kept for anyone else.
    _, headers, body = _request(
        proxied_site, "GET", f"/comments/me/?article={published_article.pk}"
    )
    assert json.loads(body)["votes"] == {}
