"""A reader's own state comes from /comments/me/, so their pages stay shared:
votes, held comments and a remembered name never make a page personal."""

import pytest
from django.test import Client

from byline.comments import cookies
from byline.comments.models import Comment
from byline.comments.tests.conftest import served_token


def _kept(client, url):
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.get("X-Page-Cache") == "hit":
            return response
    raise AssertionError(f"{url} was never served from the cache")


def _drop_deleted_cookies(client):
    """Forget cookies a response deleted, as a browser does (the test client
    sends them on, empty)."""
    for name in [n for n, morsel in client.cookies.items() if not morsel.value]:
        del client.cookies[name]


def _me(client, article):
    response = client.get(f"/comments/me/?article={article.pk}")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    return response.json()


def _reader(comment):
    browser = Client(REMOTE_ADDR="203.0.113.7")
    assert browser.get(f"/comments/{comment.pk}/vote/").status_code == 200
    return browser


def _guest_post(client, article, **extra):
    data = {
        "name": "Ana",
        "email": "ana@example.org",
        "text": "A considered point.",
        "ts": served_token(),
        "website": "",
        **extra,
    }
    return client.post(f"/comments/article/{article.pk}/post/", data)


def test_after_voting_the_reader_gets_cache_hits_and_sees_their_vote(
    approved_comment, published_article
):
    comment = approved_comment()
    reader = _reader(comment)
    answer = reader.post(
        f"/comments/{comment.pk}/vote/",
        {"value": "up"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.json()["vote"] == "up"
    assert cookies.READER_COOKIE in reader.cookies
    for url in (published_article.url, "/"):
        assert _kept(reader, url)["X-Page-Cache"] == "hit"
    assert _me(reader, published_article)["votes"] == {str(comment.pk): "up"}
    assert _me(Client(), published_article)["votes"] == {}


def test_a_vote_without_javascript_shows_its_message_then_shares_pages(
    approved_comment, published_article
):
    comment = approved_comment()
    reader = _reader(comment)
    reader.post(f"/comments/{comment.pk}/vote/", {"value": "down"})
    told = reader.get(published_article.url)
    assert "Thank you for your vote." in told.content.decode()
    assert told.get("X-Page-Cache") is None  # the message is this reader's
    _drop_deleted_cookies(reader)
    assert _kept(reader, published_article.url)["X-Page-Cache"] == "hit"


def test_a_held_comment_is_told_to_its_author_only(published_article, comment_settings):
    comment_settings.moderation = "all"
    comment_settings.save()
    author = Client()
    assert _guest_post(author, published_article).status_code == 302
    held = Comment.objects.get()
    assert held.status == Comment.Status.PENDING
    mine = _me(author, published_article)["held"]
    assert [(c["id"], c["text"]) for c in mine] == [(held.pk, "A considered point.")]
    assert _me(Client(), published_article)["held"] == []
    # Another browser that made its own reader id sees none of it either.
    other = Client()
    cookies_response = other.get(f"/comments/{held.pk}/vote/")
    assert cookies_response.status_code in (200, 404)
    assert _me(other, published_article)["held"] == []
    # Once the edit window's cookie is gone the author's page is the shared one.
    del author.cookies[cookies.EDIT_COOKIE]
    author.get(published_article.url)  # shows (and clears) the "held" message
    _drop_deleted_cookies(author)
    assert _kept(author, published_article.url)["X-Page-Cache"] == "hit"
    assert (
        "A considered point."
        not in _kept(author, published_article.url).content.decode()
    )


@pytest.mark.parametrize("remember", [True, False])
def test_name_and_email_are_remembered_only_when_asked(published_article, remember):
    guest = Client()
    extra = {"remember": "1"} if remember else {}
    assert _guest_post(guest, published_article, **extra).status_code == 302
    saved = _me(guest, published_article)["commenter"]
    if remember:
        assert saved == {"name": "Ana", "email": "ana@example.org"}
        assert guest.cookies[cookies.COMMENTER_COOKIE]["httponly"]
    else:
        assert saved is None
        assert cookies.COMMENTER_COOKIE not in guest.cookies


def test_posting_with_the_box_unticked_forgets_the_name(published_article):
    guest = Client()
    _guest_post(guest, published_article, remember="1")
    assert _me(guest, published_article)["commenter"]
    _guest_post(guest, published_article, text="Another point entirely.")
    assert _me(guest, published_article)["commenter"] is None


def test_a_forged_commenter_cookie_is_ignored(published_article):
    guest = Client()
    guest.cookies[cookies.COMMENTER_COOKIE] = '{"name": "Mallory"}'
    assert _me(guest, published_article)["commenter"] is None


def test_the_form_offers_to_remember_unticked_and_explains_it(
    client, published_article
):
    html = client.get(published_article.url).content.decode()
    assert "Save my name and email in this browser" in html
    assert 'name="remember" value="1" aria-describedby' in html
    assert 'name="remember" value="1" checked' not in html
    assert "A cookie on this device keeps them" in html


def test_reader_state_of_a_missing_article_is_a_clear_404(client, published_article):
    for query in ("", "?article=abc", "?article=999999"):
        response = client.get("/comments/me/" + query)
        assert response.status_code == 404
        assert response.json()["reason"]
