"""Messages are said where the reader lands (core/notices.py), in the words of
what they chose."""

import pytest
from bs4 import BeautifulSoup

from byline.comments import threads, tokens
from byline.comments.models import Subscription
from byline.comments.views.following import CONFIRMED_ANSWERS


def _landing(client, response):
    """The page a redirect leads to, parsed, and the id its fragment names."""
    url, _, place = response["Location"].partition("#")
    return BeautifulSoup(client.get(url).content, "html.parser"), place


def test_a_report_is_said_inside_the_reported_comment(client, approved_comment):
    comment = approved_comment()
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "spam"})
    page, place = _landing(client, response)
    assert place == f"comment-{comment.pk}"
    said = page.find(id=place).select(".messages-here .message")
    assert [m.get_text() for m in said] == [
        "Thank you: a moderator will look at this comment."
    ]
    assert page.select("main > .messages") == []  # nothing at the top


def test_a_message_about_a_comment_not_shown_is_said_atop_the_comments(
    approved_comment,
):
    first = approved_comment("On the first page.")
    later = approved_comment("On a later page.")
    assert threads.on_first_page(first)
    assert not threads.on_first_page(later, per_page=1)
    page_obj = threads.Paginator([], 1).get_page(1)
    page_obj.object_list = threads.threads_for([first])

    class Said:
        extra_tags = f"at:comment-{later.pk}"

    grouped = threads.placed_notices([Said()], page_obj.object_list)
    assert list(grouped) == ["comments"]


@pytest.mark.parametrize("kind", Subscription.Kind.values)
def test_a_confirmation_names_what_was_chosen(
    client, published_article, approved_comment, kind
):
    comment = approved_comment() if kind == "replies" else None
    subscription = Subscription.objects.create(
        email="chooser@example.org", kind=kind, article=published_article,
        comment=comment,
    )  # fmt: skip
    token = tokens.make("confirm", subscription.pk)
    response = client.post(f"/comments/subscriptions/confirm/{token}/")
    page, place = _landing(client, response)
    said = page.find(id=place).select_one(".messages-here").get_text(" ", strip=True)
    assert said == CONFIRMED_ANSWERS[kind]
    other = "new comments" if kind == "replies" else "replies"
    assert other not in said


def test_a_report_on_a_comment_beyond_the_first_page_is_said_atop_the_comments(
    client, approved_comment
):
    """The page has no #comment-<id> to land on: the reader lands at the
    comments, and reads the message there."""
    *_, later = [
        approved_comment(f"Comment {n}.") for n in range(threads.THREADS_PER_PAGE + 1)
    ]
    response = client.post(f"/comments/{later.pk}/report/", {"reason": "spam"})
    page, place = _landing(client, response)
    assert place == "comments"
    assert page.find(id=f"comment-{later.pk}") is None
    said = page.find(id="comments").select_one(".messages-here").get_text(strip=True)
    assert said == "Thank you: a moderator will look at this comment."
