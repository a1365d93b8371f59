"""A database that cannot take a write gives a clear 503, and loses no typing."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection, transaction
from django.test import Client


def _post(reader, url, data):
    # Each request in a savepoint of the test's transaction, as each request of
    # a running site has its own: a refused write undoes that request only.
    with transaction.atomic():
        return reader.post(url, data)


@pytest.fixture
def open_article(make_article, client):
    from django.utils import timezone

    article = make_article("Comments welcome", published_at=timezone.now())
    client.get(article.url)  # the site's settings rows exist, as on a running site
    return article


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="uses SQLite's query_only switch"
)
def test_a_post_the_database_refuses_gets_503_with_the_text_kept(
    open_article, settings
):
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    settings.COMMENTS_IP_LIMIT = (10**6, 60)
    settings.COMMENTS_EMAIL_LIMIT = (10**6, 60)
    settings.RATE_LIMIT_POSTS = (10**6, 60)
    reader = Client(raise_request_exception=False)
    with connection.cursor() as cursor:
        # The database now refuses every write, as a full disk or a restarting
        # server would: a real OperationalError from SQLite, not a stand-in.
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = _post(
            reader,
            f"/comments/article/{open_article.pk}/post/",
            {
                "name": "Ana",
                "email": "ana@example.org",
                "text": "Words I would hate to lose",
                "ts": served_token(),
                "website": "",
            },
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "Nothing you sent was saved" in html
    # Offered back shown and editable (byline/core/resend.py), not hidden.
    offered = BeautifulSoup(html, "html.parser").find(
        "textarea", attrs={"name": "text"}
    )
    assert offered.string == "Words I would hate to lose"
    assert not Comment.objects.exists()


def test_a_bug_is_still_a_plain_500(rf):
    from byline.core.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own full disk")
def test_a_full_database_file_is_reported_and_not_corrupted(open_article, settings):
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    settings.COMMENTS_IP_LIMIT = (10**6, 60)
    settings.COMMENTS_EMAIL_LIMIT = (10**6, 60)
    settings.RATE_LIMIT_POSTS = (10**6, 60)
    reader = Client(raise_request_exception=False)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA max_page_count")
        limit = cursor.fetchone()[0]
        # No page may be added: SQLite answers SQLITE_FULL, "database or disk is
        # full", exactly as when the disk under the file has no room left.
        cursor.execute(f"PRAGMA max_page_count = {pages}")
    try:
        responses = [
            _post(
                reader,
                f"/comments/article/{open_article.pk}/post/",
                {
                    "name": "Ana",
                    "email": "ana@example.org",
                    "text": f"A long comment, number {i}. " + "words " * 800,
                    "ts": served_token(),
                    "website": "",
                },
            )
            for i in range(20)
        ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA max_page_count = {limit}")
    refused = [r for r in responses if r.status_code == 503]
    assert refused, [r.status_code for r in responses]
    assert all(r.status_code in (302, 503) for r in responses), [
        r.status_code for r in responses
    ]
    assert "Nothing you sent was saved" in refused[0].content.decode()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchone()[0] == "ok"
    # What was accepted is there; the site writes again once there is room.
    stored = Comment.objects.count()
    assert stored == sum(r.status_code == 302 for r in responses)
    assert (
        _post(
            reader,
            f"/comments/article/{open_article.pk}/post/",
            {
                "name": "Ana",
                "email": "ana@example.org",
                "text": "Room again",
                "ts": served_token(),
                "website": "",
            },
        ).status_code
        == 302
    )
