"""A database that cannot take a write gives a clear 503, and loses no typing."""

import pytest
from django.db import connection
from django.test import Client


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="uses SQLite's query_only switch"
)
def test_a_post_the_database_refuses_gets_503_with_the_text_kept(
    published_article, settings
):
    from byline.comments.models import Comment
    from byline.comments.tests.conftest import served_token

    settings.COMMENTS_IP_LIMIT = (10**6, 60)
    reader = Client(raise_request_exception=False)
    with connection.cursor() as cursor:
        # The database now refuses every write, as a full disk or a restarting
        # server would: a real OperationalError from SQLite, not a stand-in.
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = reader.post(
            f"/comments/article/{published_article.pk}/post/",
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
    assert 'value="Words I would hate to lose"' in html
    assert not Comment.objects.exists()


def test_a_bug_is_still_a_plain_500(rf):
    from byline.core.errors import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
