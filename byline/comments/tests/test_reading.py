"""What readers see and do with comments: threads, text, votes, reports, edits."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from byline.comments import cookies, moderation
from byline.comments import text as comment_text
from byline.comments.models import Comment, Report, Vote


def page(client, article, **params):
    response = client.get(article.url, params)
    assert response.status_code == 200
    return response.content.decode()


def replied_to(html, comment):
    """The ids of the comments `comment` sits under in its thread, innermost first."""
    shown = BeautifulSoup(html, "html.parser").find(id=f"comment-{comment.pk}")
    return [
        replies.find_previous_sibling("article")["id"]
        for replies in shown.find_parents("ol", class_="replies")
    ]


def test_text_keeps_paragraphs_and_line_breaks_links_urls_escapes_the_rest():
    html = comment_text.render(
        "First line\nsecond line\n\nSee https://example.org/a?b=1&c=2. <b>bold</b>"
    )
    assert html.startswith("<p>First line<br>second line</p>")
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        in html
    )
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>" not in html


def test_script_in_name_or_text_never_reaches_the_page(client, approved_comment):
    comment = approved_comment(
        "<script>alert(1)</script><img src=x onerror=alert(2)> javascript:alert(3)",
        name='"><svg onload=alert(4)>',
    )
    html = page(client, comment.article)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_guest_email_is_never_in_the_page(client, approved_comment):
    comment = approved_comment(email="secret.reader@example.org")
    assert "secret.reader" not in page(client, comment.article)
    assert (
        "secret.reader"
        not in client.get(f"/comments/article/{comment.article.pk}/").content.decode()
    )


def test_pending_and_rejected_comments_are_not_shown(client, approved_comment):
    shown = approved_comment("Shown words.")
    approved_comment("Held words.", status=Comment.Status.PENDING)
    approved_comment("Refused words.", status=Comment.Status.REJECTED)
    html = page(client, shown.article)
    assert "Shown words." in html
    assert "Held words." not in html and "Refused words." not in html
    assert "1 comment" in html


def test_threads_show_replies_nested(client, approved_comment):
    """A reply is listed under the comment it answers, a level deeper each time."""
    root = approved_comment("The root.")
    reply = approved_comment("A reply.", parent=root)
    deeper = approved_comment("A reply to the reply.", parent=reply)
    html = page(client, root.article)
    assert replied_to(html, root) == []
    assert replied_to(html, reply) == [f"comment-{root.pk}"]
    assert replied_to(html, deeper) == [f"comment-{reply.pk}", f"comment-{root.pk}"]


def test_first_twenty_threads_then_view_all_pages_through_the_rest(
    client, approved_comment
):
    comments = [approved_comment(f"Comment number {i}.") for i in range(25)]
    article = comments[0].article
    html = page(client, article)
    assert "Comment number 19." in html and "Comment number 20." not in html
    assert "View all comments" in html
    second = client.get(f"/comments/article/{article.pk}/", {"page": 2}).content
    assert b"Comment number 24." in second and b"Comment number 3." not in second


def test_sorting_by_newest_and_by_votes_with_editors_pick_first(
    client, approved_comment
):
    old = approved_comment("Old comment.")
    approved_comment("New comment.")
    approved_comment("Popular comment.", score=5)
    approved_comment("Picked comment.", featured=True)
    html = page(client, old.article, sort="newest")
    assert html.index("Picked comment.") < html.index("Popular comment.")
    assert html.index("New comment.") < html.index("Old comment.")
    html = page(client, old.article, sort="votes")
    assert (
        html.index("Picked comment.")
        < html.index("Popular comment.")
        < html.index("Old comment.")
    )
    assert "Editors' pick" in html


@pytest.mark.usefixtures("uncached")
def test_article_with_a_thousand_comments_costs_the_same_queries(
    client, make_article, approved_comment
):
    silent = make_article("Silent article")
    quiet = make_article("Quiet article")
    approved_comment("The only one", article=quiet)
    busy = make_article("Busy article")
    roots = [approved_comment(f"Root {i}", article=busy) for i in range(200)]
    Comment.objects.bulk_create(
        Comment(
            article=busy,
            parent=roots[i % 200],
            root=roots[i % 200],
            depth=2,
            name="R",
            email="r@example.org",
            text=f"Reply {i}",
            status=Comment.Status.APPROVED,
        )
        for i in range(800)
    )

    def queries(article):
        # Twice: a site's first view creates its settings rows, which is a
        # change, so the article's kept parts are kept from the second on.
        client.get(article.url)
        client.get(article.url)
        with CaptureQueriesContext(connection) as ctx:
            client.get(article.url)
        return len(ctx.captured_queries)

    assert queries(quiet) == queries(busy)
    # With none at all, the stored count spares the comment queries.
    assert queries(silent) < queries(quiet)


def test_one_vote_per_browser_changed_or_withdrawn_and_none_on_your_own(
    client, approved_comment, post
):
    """A vote counts once: the other way changes it, the same way withdraws it."""
    comment = approved_comment()
    url = f"/comments/{comment.pk}/vote/"
    assert client.get(url, {"value": "up"}).status_code == 200  # gives a reader id
    assert client.post(url, {"value": "up"}).status_code == 302
    comment.refresh_from_db()
    assert comment.score == 1
    json = {"HTTP_ACCEPT": "application/json"}
    changed = client.post(url, {"value": "down"}, **json).json()
    assert (changed["score"], changed["vote"]) == (-1, "down")
    withdrawn = client.post(url, {"value": "down"}, **json).json()
    assert (withdrawn["score"], withdrawn["vote"]) == (0, None)
    assert not Vote.objects.exists()

    post(comment.article, "My own words.")
    mine = Comment.objects.latest("pk")
    moderation.approve([mine])
    own = client.post(f"/comments/{mine.pk}/vote/", {"value": "up"}, **json)
    assert own.status_code == 403


def test_reports_reach_the_queue_even_for_approved_comments(client, approved_comment):
    comment = approved_comment()
    response = client.post(f"/comments/{comment.pk}/report/", {"reason": "abuse"})
    assert response.status_code == 302
    assert Report.objects.get().comment == comment
    bad = client.post(f"/comments/{comment.pk}/report/", {"reason": "nonsense"})
    assert bad.status_code == 302 and Report.objects.count() == 1


def test_guest_can_edit_and_delete_for_ten_minutes_only(
    client, post, published_article
):
    post(published_article, "Frist draft.")
    comment = Comment.objects.get()
    edit_url = f"/comments/{comment.pk}/edit/"
    assert client.get(edit_url).status_code == 200
    client.post(edit_url, {"text": "First draft."})
    comment.refresh_from_db()
    assert comment.text == "First draft." and comment.edited

    # Another browser cannot.
    from django.test import Client

    assert Client().get(edit_url).status_code == 404

    # Eleven minutes later the grant has lapsed.
    stale = {str(comment.pk): time.time() - 11 * 60}
    client.cookies[cookies.EDIT_COOKIE] = signing.dumps(stale, salt=cookies.EDIT_COOKIE)
    assert client.get(edit_url).status_code == 404


def test_guest_can_delete_their_comment(client, post, published_article):
    post(published_article, "Regretted words.")
    comment = Comment.objects.get()
    assert client.post(f"/comments/{comment.pk}/delete/").status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED and comment.text == ""


def test_counts_show_on_the_article_and_on_listing_cards(client, approved_comment):
    """The article links its count to its comments, and its card to the same."""
    comment = approved_comment()
    approved_comment(article=comment.article)
    article = BeautifulSoup(page(client, comment.article), "html.parser")
    assert article.find("a", href="#comments").get_text() == "2 comments"
    section = client.get(comment.article.section.url).content
    card_link = BeautifulSoup(section, "html.parser").find(
        "a", href=comment.article.url + "#comments"
    )
    assert card_link.get_text() == "2 comments"


def test_editors_can_close_a_thread_to_replies(post, approved_comment, client):
    root = approved_comment(replies_closed=True)
    response = post(root.article, "One more.", parent=root)
    assert response.status_code == 403
    assert "closed this thread" in response.content.decode()
    assert "Post reply" not in page(client, root.article)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_the_first_page_of_threads_is_read_in_order_not_sorted(published_article):
    """Every render and every post (`threads.on_first_page`) reads the first
    threads in the default order; on a busy article that sorted every thread,
    2 ms of each post at 5,000 comments. An index gives them in order."""
    from byline.comments.forms import DEFAULT_SORT, SORTS

    first = (
        Comment.objects.approved()
        .filter(article_id=published_article.pk, depth=1)
        .order_by(*SORTS[DEFAULT_SORT][1])
        .values_list("pk", flat=True)[:20]
    )
    plan = first.explain()
    assert "comment_first_page" in plan
    assert "TEMP B-TREE" not in plan
