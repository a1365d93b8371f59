"""M8: votes cannot be stuffed; each reader's vote counts once.

The review sent 15 POSTs without cookies and moved a score from 8 to -6: each
request minted a new voter. Now a browser votes with a reader id an earlier
response gave it, one browser vote counts per network (IPv6 by /64) and per
comment, and accounts vote as themselves; a vote changes or is withdrawn,
never repeated.
"""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from byline.comments import cookies
from byline.comments.models import Comment, Vote


@pytest.fixture
def comment(published_article):
    made = Comment.objects.create(
        article=published_article,
        depth=1,
        name="Ben",
        email="ben@example.org",
        text="A comment worth a vote.",
        status=Comment.Status.APPROVED,
        score=8,
    )
    Comment.objects.filter(pk=made.pk).update(root=made)
    return made


def _score(comment):
    comment.refresh_from_db(fields=["score"])
    return comment.score


def _reader(comment, address="203.0.113.7"):
    """A browser that has read the vote page, so holds a reader id."""
    browser = Client(REMOTE_ADDR=address)
    assert browser.get(f"/comments/{comment.pk}/vote/").status_code == 200
    assert cookies.READER_COOKIE in browser.cookies
    return browser


def _vote(browser, comment, value="down", **headers):
    return browser.post(f"/comments/{comment.pk}/vote/", {"value": value}, **headers)


def test_cookieless_votes_are_never_counted(comment):
    """The review's attack: 15 POSTs without cookies leave the score as it was."""
    for _ in range(15):
        response = _vote(Client(REMOTE_ADDR="203.0.113.7"), comment)
        assert response.status_code == 303
        assert response["Location"] == f"/comments/{comment.pk}/vote/?value=down"
        assert cookies.READER_COOKIE not in response.cookies
    as_json = _vote(Client(), comment, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 403
    assert as_json.json()["confirm_url"] == f"/comments/{comment.pk}/vote/?value=down"
    assert _score(comment) == 8 and not Vote.objects.exists()


def test_fresh_reader_ids_from_one_network_add_one_vote(comment):
    """Reader ids fetched anew for every vote from one address count once."""
    for _ in range(15):
        _vote(_reader(comment), comment)
    assert _score(comment) == 7
    assert Vote.objects.count() == 1


def test_one_ipv6_line_is_one_network(comment):
    """Addresses of one IPv6 /64 share a vote; another /64 votes on its own."""
    for address, counted in [
        ("2001:db8:1:2::1", True),
        ("2001:db8:1:2:ffff:ffff:ffff:fffe", False),
        ("2001:db8:1:3::1", True),
        ("::ffff:198.51.100.4", True),
        ("198.51.100.4", False),
    ]:
        browser = _reader(comment, address)
        answer = _vote(browser, comment, "up", HTTP_ACCEPT="application/json")
        assert (answer.status_code == 200) is counted, address
        if not counted:
            assert "connection" in answer.json()["reason"]
    assert _score(comment) == 11


def test_a_vote_changes_or_is_withdrawn_but_never_repeats(comment):
    """Up, up again, down, down again: the score moves by one vote at most."""
    browser = _reader(comment)
    seen = []
    for value in ["up", "up", "up", "down", "down", "down"]:
        answer = _vote(browser, comment, value, HTTP_ACCEPT="application/json")
        seen.append((answer.json()["score"], answer.json()["vote"]))
    assert seen == [
        (9, "up"),
        (8, None),
        (9, "up"),
        (7, "down"),
        (8, None),
        (7, "down"),
    ]


def test_a_reader_id_not_signed_by_the_site_is_no_reader_id(comment):
    """A made-up reader cookie is treated as none: the vote is not counted."""
    browser = Client()
    browser.cookies[cookies.READER_COOKIE] = "made-up-id"
    assert _vote(browser, comment).status_code == 303
    assert _score(comment) == 8


def test_a_first_vote_without_javascript_is_confirmed_not_lost(comment):
    """A reader from a cached page confirms on a page that gives an id; it counts."""
    browser = Client(REMOTE_ADDR="198.51.100.20")
    asked = _vote(browser, comment, "up", follow=True)
    assert asked.status_code == 200
    assert cookies.READER_COOKIE in browser.cookies
    form = BeautifulSoup(asked.content, "html.parser").select_one("form.vote-confirm")
    first = form.select_one("button[type=submit]")
    assert (first["name"], first["value"]) == ("value", "up")
    assert "A comment worth a vote." in asked.content.decode()
    done = browser.post(asked.wsgi_request.path, {"value": first["value"]})
    assert done.status_code == 302
    assert done["Location"].endswith(f"#comment-{comment.pk}")
    assert _score(comment) == 9


def test_accounts_vote_as_themselves_wherever_they_are(comment):
    """Two accounts on one connection each have a vote; an account has one."""
    users = get_user_model().objects
    for name in ["ada", "bob"]:
        browser = Client(REMOTE_ADDR="203.0.113.7")
        browser.force_login(users.create_user(name, password="pw-long-enough-1"))
        assert _vote(browser, comment, "up").status_code == 302
        _vote(Client(REMOTE_ADDR="203.0.113.99"), comment, "up")
    assert _score(comment) == 10


def test_how_a_reader_voted_on_a_page_of_comments_is_one_query(
    comment, django_assert_num_queries
):
    """votes_of answers for any number of comments with one query."""
    from byline.comments import votes

    others = [
        Comment.objects.create(
            article=comment.article, depth=1, name="C", email="c@e.org", text="t"
        )
        for _ in range(30)
    ]
    voter = votes.Voter("browser:reader-1", votes.network_hash("203.0.113.7"))
    votes.cast(comment, voter, 1)
    votes.cast(others[3], voter, -1)
    with django_assert_num_queries(1):
        mine = votes.votes_of(voter, [comment.pk] + [c.pk for c in others])
    assert mine == {comment.pk: 1, others[3].pk: -1}
