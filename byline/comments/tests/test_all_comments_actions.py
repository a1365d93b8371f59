"""A form sent from a "View all comments" page without JavaScript brings the
reader back to that page (its sort and page number) at the comment, with the
message said there; from the article's page, back to the article as before."""

import pytest
from bs4 import BeautifulSoup

from byline.comments import threads
from byline.comments.tests.conftest import as_reader, served_token

BEYOND = threads.THREADS_PER_PAGE + 1  # one comment more than a page holds


@pytest.fixture
def later_comment(approved_comment):
    """The oldest-first list's second page holds this comment alone."""
    *_, later = [approved_comment(f"Comment {n}.") for n in range(BEYOND)]
    return later


def _all_page(client, article, sort="oldest", page=2):
    html = client.get(f"/comments/article/{article.pk}/?sort={sort}&page={page}")
    return BeautifulSoup(html.content, "html.parser")


def _form_fields(form):
    """What the browser sends from `form`: its hidden fields."""
    return {
        field["name"]: field.get("value", "")
        for field in form.select("input[type=hidden]")
        if field.get("name") != "csrfmiddlewaretoken"
    }


def _landing(client, response):
    url, _, place = response["Location"].partition("#")
    return url, place, BeautifulSoup(client.get(url).content, "html.parser")


def _reply_from_page_two(client, comment, name, text):
    """Send the reply form under `comment` on page 2, as a browser would."""
    form = _all_page(client, comment.article).find(id=f"comment-{comment.pk}")
    reply = form.select_one("details.reply form")
    data = _form_fields(reply) | {
        "ts": served_token(), "name": name, "email": "cy@example.org",
        "text": text, "website": "", "notify": "",
    }  # fmt: skip
    return client.post(reply["action"].partition("#")[0], data)


def _said_at(page, place):
    return [m.get_text(strip=True) for m in page.find(id=place).select(".message")]


def test_a_vote_from_the_all_comments_page_returns_there_at_the_comment(
    client, later_comment
):
    """Voting on page 2 of "View all comments" (no JavaScript) lands on page 2,
    at the comment, with the vote counted and said there."""
    as_reader(client, "r" * 22)
    article = later_comment.article
    form = _all_page(client, article).find(id=f"comment-{later_comment.pk}")
    data = _form_fields(form.select_one("form.vote-form")) | {"value": "up"}
    response = client.post(f"/comments/{later_comment.pk}/vote/", data)
    url, place, page = _landing(client, response)
    assert url == f"/comments/article/{article.pk}/?sort=oldest&page=2"
    assert place == f"comment-{later_comment.pk}"
    assert _said_at(page, place) == ["Thank you for your vote."]
    shown = page.find(id=place).select_one(".comment-score").get_text()
    assert shown == "1"


def test_a_first_vote_confirmed_returns_to_the_all_comments_page(client, later_comment):
    """A browser without a reader id confirms its vote on a page of its own;
    the confirmed vote still lands on the all-comments page it came from."""
    article = later_comment.article
    form = _all_page(client, article).find(id=f"comment-{later_comment.pk}")
    data = _form_fields(form.select_one("form.vote-form")) | {"value": "down"}
    asked = client.post(f"/comments/{later_comment.pk}/vote/", data)
    assert asked.status_code == 303
    confirm = BeautifulSoup(client.get(asked["Location"]).content, "html.parser")
    back = confirm.find("a", string="Back to the comments without voting")["href"]
    listing = f"/comments/article/{article.pk}/?sort=oldest&page=2"
    assert back == f"{listing}#comment-{later_comment.pk}"
    # The confirm form posts to the page's own address (no action).
    assert confirm.select_one("form.vote-confirm").get("action") is None
    response = client.post(asked["Location"], {"value": "down"})
    url, place, page = _landing(client, response)
    assert url == f"/comments/article/{article.pk}/?sort=oldest&page=2"
    assert _said_at(page, place) == ["Thank you for your vote."]


def test_a_vote_that_moves_the_comment_lands_on_the_page_now_showing_it(
    client, later_comment
):
    """Sorted by votes, a vote can carry a comment to another page: the reader
    lands where the comment is now."""
    as_reader(client, "m" * 22)
    article = later_comment.article
    data = {"back_sort": "votes", "back_page": "2", "value": "up"}
    response = client.post(f"/comments/{later_comment.pk}/vote/", data)
    url, place, page = _landing(client, response)
    assert url == f"/comments/article/{article.pk}/?sort=votes&page=1"
    assert place == f"comment-{later_comment.pk}"
    assert _said_at(page, place) == ["Thank you for your vote."]


def test_a_report_from_the_all_comments_page_returns_there(client, later_comment):
    article = later_comment.article
    form = _all_page(client, article).find(id=f"comment-{later_comment.pk}")
    report = form.select_one("details.report form")
    data = _form_fields(report) | {"reason": "spam"}
    response = client.post(report["action"], data)
    url, place, page = _landing(client, response)
    assert url == f"/comments/article/{article.pk}/?sort=oldest&page=2"
    assert _said_at(page, place) == [
        "Thank you: a moderator will look at this comment."
    ]


def test_a_reply_from_the_all_comments_page_returns_there(
    client, later_comment, comment_settings
):
    comment_settings.moderation = "none"
    comment_settings.save()
    article = later_comment.article
    response = _reply_from_page_two(
        client, later_comment, "Cy", "A reply from page two."
    )
    url, place, page = _landing(client, response)
    assert url == f"/comments/article/{article.pk}/?sort=oldest&page=2"
    assert "A reply from page two." in page.find(id=place).get_text()


def test_a_refused_reply_from_the_all_comments_page_is_shown_there_again(
    client, later_comment
):
    """A reply without a name, sent from page 2: page 2 again (not the
    article), the form open with the error and every word the reader typed,
    still a reply to that comment and still coming back to page 2."""
    response = _reply_from_page_two(
        client, later_comment, "", "Typed with care on page two."
    )
    assert response.status_code == 400
    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one(".comments-page h1") is not None  # not the article
    assert page.find(id=f"comment-{later_comment.pk}") is not None  # page 2's
    compose = page.select_one("details.compose[open] form")
    assert compose.select_one("textarea[name=text]").get_text() == (
        "Typed with care on page two."
    )
    assert compose.select_one("input[name=email]")["value"] == "cy@example.org"
    assert compose.select_one(".field-error") is not None
    fields = _form_fields(compose)
    assert fields["parent"] == str(later_comment.pk)
    assert (fields["back_sort"], fields["back_page"]) == ("oldest", "2")


def test_notify_me_from_the_all_comments_page_returns_there(client, later_comment):
    article = later_comment.article
    page = _all_page(client, article)
    follow = page.select_one("details.follow form")
    data = _form_fields(follow) | {"email": "fan@example.org", "website": ""}
    response = client.post(follow["action"], data)
    url, place, landed = _landing(client, response)
    assert (url, place) == (
        f"/comments/article/{article.pk}/?sort=oldest&page=2",
        "comments",
    )
    assert _said_at(landed, "comments")[0].startswith("Check your inbox")


def test_a_vote_from_the_article_page_returns_to_the_article(client, approved_comment):
    """Under the article the forms carry no listing: back to the article."""
    comment = approved_comment()
    as_reader(client, "a" * 22)
    page = BeautifulSoup(client.get(comment.article.url).content, "html.parser")
    vote = page.find(id=f"comment-{comment.pk}").select_one("form.vote-form")
    assert _form_fields(vote) == {}
    response = client.post(f"/comments/{comment.pk}/vote/", {"value": "up"})
    assert response["Location"] == f"{comment.article.url}#comment-{comment.pk}"


@pytest.mark.parametrize(
    "sort, page", [("evil", "2"), ("oldest", "x"), ("oldest", "9" * 30)]
)
def test_a_forged_listing_sends_nowhere_else(client, later_comment, sort, page):
    """The fields name a sort and a page, never an address: anything else is
    read as the first page in the default order, on this site."""
    as_reader(client, "f" * 22)
    data = {"back_sort": sort, "back_page": page, "value": "up"}
    response = client.post(f"/comments/{later_comment.pk}/vote/", data)
    url = response["Location"].partition("#")[0]
    article = later_comment.article
    assert url == f"/comments/article/{article.pk}/?sort=oldest&page=2"
