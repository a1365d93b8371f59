import time

import pytest
from django.core import signing

from byline.comments import cookies, defences, posting
from byline.comments.models import Comment, CommentSettings


def served_token(seconds_ago=10):
    return signing.dumps(time.time() - seconds_ago, salt=defences.SALT)


def as_reader(client, reader_id):
    """Give the test client the signed reader id `reader_id`, as a response does."""
    from django.http import HttpResponse

    response = HttpResponse()
    cookies.ensure_reader_id(None, response, reader_id)
    client.cookies[cookies.READER_COOKIE] = response.cookies[
        cookies.READER_COOKIE
    ].value


@pytest.fixture
def comment_settings(home):
    from wagtail.models import Site

    return CommentSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def post(client):
    """Post a comment as a guest the way the article's form does."""

    def send(
        article,
        text="A considered point.",
        *,
        name="Ana",
        email="ana@example.org",
        parent=None,
        accept_json=False,
        **extra,
    ):
        data = {
            "name": name,
            "email": email,
            "text": text,
            "ts": served_token(),
            "website": "",
        }
        if parent is not None:
            data["parent"] = parent.pk
        data.update(extra)
        headers = {"HTTP_ACCEPT": "application/json"} if accept_json else {}
        return client.post(f"/comments/article/{article.pk}/post/", data, **headers)

    return send


@pytest.fixture
def approved_comment(published_article):
    def make(
        text="Approved words.",
        *,
        article=None,
        parent=None,
        name="Ben",
        email="ben@example.org",
        **fields,
    ):
        article = article or published_article
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root=parent.root if parent else None,
            depth=parent.depth + 1 if parent else 1,
            name=name,
            email=email,
            text=text,
            **{"status": Comment.Status.APPROVED, **fields},
        )
        if comment.root_id is None:
            comment.root = comment
            comment.save(update_fields=["root"])
        # Counted and announced as `posting.submit` does after writing one.
        posting.announce_new(comment)
        return comment

    return make


@pytest.fixture(autouse=True)
def comments_stay_open(request):
    """Test articles are dated 2024: keep their comments open unless a test says."""
    if (
        "db" not in request.fixturenames
        and "published_article" not in request.fixturenames
    ):
        return
    settings = request.getfixturevalue("comment_settings")
    settings.close_after_days = 0
    settings.save()
