"""The cookies a reader's browser holds stay small, however much they post.

A browser sends every cookie with every request; past the server's header limit
(gunicorn's and nginx's: 8 KB per header) the request is refused with 431 before
the site sees it, so an ever-growing cookie locks its reader out of every page.
bench/spike.py found the edit grants doing that to a prolific commenter.
"""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing

from byline.comments import cookies
from byline.comments.models import Comment

# The smallest per-header limit among the servers in front of us (gunicorn's
# limit_request_field_size is 8,190; nginx's large_client_header_buffers 8 KB);
# a prolific commenter's cookies must all fit, together, in half of it.
COOKIE_HEADER_BUDGET = 4096
# Each cookie's own bound: the cap Django's messages cookie has
# (cookies.MAX_COOKIE_BYTES).
COOKIE_BUDGET = 2048
# The edit grants' own bound: well under 4 KB, whatever the number of comments.
EDIT_COOKIE_BUDGET = 1024
# Four times the grants kept (cookies.EDIT_KEPT); the spike's commenters post
# about 225 a minute each.
POSTS = 80
KEPT = 20  # cookies.EDIT_KEPT


def cookie_header(client):
    """The Cookie header the test client (a browser) sends with its next request."""
    return "; ".join(
        f"{name}={morsel.value}" for name, morsel in client.cookies.items()
    )


@pytest.fixture
def many_comments_allowed(settings):
    settings.COMMENTS_IP_LIMIT = (10_000, 60)
    settings.COMMENTS_EMAIL_LIMIT = (10_000, 60)
    settings.RATE_LIMIT_POSTS = (10_000, 60)


def test_prolific_commenter_keeps_small_cookies_and_can_still_read(
    client, post, published_article, comment_settings, many_comments_allowed
):
    """A guest who posts many comments keeps every cookie under its bound, the
    whole Cookie header under 4 KB, and loads pages as before."""
    comment_settings.moderation = "none"
    comment_settings.save()
    for n in range(POSTS):
        answer = post(published_article, f"Point number {n}.", remember="on")
        assert answer.status_code == 302
        for name, morsel in client.cookies.items():
            size = len(name) + 1 + len(morsel.value)
            assert size <= COOKIE_BUDGET, (n, name, size)
        edit = client.cookies[cookies.EDIT_COOKIE].value
        assert len(edit) <= EDIT_COOKIE_BUDGET, (n, len(edit))
    assert len(cookie_header(client)) < COOKIE_HEADER_BUDGET

    page = client.get(published_article.url)
    assert page.status_code == 200
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.h1.get_text(strip=True) == published_article.title


def test_prolific_commenter_keeps_edit_rights_for_their_newest_comments(
    client, post, published_article, comment_settings, many_comments_allowed
):
    """After many posts the newest KEPT comments can still be edited; the
    oldest, past the cap, no longer can."""
    comment_settings.moderation = "none"
    comment_settings.save()
    for n in range(POSTS):
        post(published_article, f"Point number {n}.")
    ids = list(Comment.objects.order_by("pk").values_list("pk", flat=True))
    newest, oldest = ids[-KEPT:], ids[:-KEPT]
    for pk in newest:
        assert client.get(f"/comments/{pk}/edit/").status_code == 200, pk
    assert client.get(f"/comments/{oldest[-1]}/edit/").status_code == 404
    answer = client.post(f"/comments/{newest[0]}/edit/", {"text": "Reworded."})
    assert answer.status_code == 302
    assert Comment.objects.get(pk=newest[0]).text == "Reworded."


def test_expired_edit_grants_are_dropped_from_the_cookie(
    client, post, published_article
):
    """Grants past the edit window leave the cookie when the next one is added."""
    now = time.time()
    old = {str(n): now - cookies.EDIT_SECONDS - 60 for n in range(900, 905)}
    client.cookies[cookies.EDIT_COOKIE] = signing.dumps(
        {**old, "906": now - 5}, salt=cookies.EDIT_COOKIE
    )
    post(published_article, "A fresh point.")
    comment = Comment.objects.get()
    kept = signing.loads(
        client.cookies[cookies.EDIT_COOKIE].value, salt=cookies.EDIT_COOKIE
    )
    assert set(kept) == {"906", str(comment.pk)}


def test_oversized_edit_cookie_grants_nothing_and_does_not_break_pages(
    client, published_article
):
    """An edit cookie larger than any we set is ignored, not parsed."""
    grants = {str(n): time.time() for n in range(500)}
    client.cookies[cookies.EDIT_COOKIE] = signing.dumps(
        grants, salt=cookies.EDIT_COOKIE
    )
    assert len(client.cookies[cookies.EDIT_COOKIE].value) > COOKIE_BUDGET
    assert client.get(published_article.url).status_code == 200
    assert client.get("/comments/1/edit/").status_code == 404


def test_remembered_commenter_cookie_is_bounded_for_the_longest_name_and_address(
    client, post, published_article
):
    """The longest name (in characters JSON escapes twice over) and address the
    form accepts still make a cookie under COOKIE_BUDGET."""
    name = "\U0001f600" * 80
    email = "a" * 64 + "@" + ("b" * 61 + ".") * 3 + "org"
    assert len(email) == 254
    answer = post(
        published_article, "Long name.", name=name, email=email, remember="on"
    )
    assert answer.status_code == 302
    morsel = client.cookies[cookies.COMMENTER_COOKIE]
    assert len(morsel.value) + len(cookies.COMMENTER_COOKIE) + 1 <= COOKIE_BUDGET
