"""Editors moderate in Wagtail's admin: the queue lists, filters and acts in bulk
or row by row, counts what waits, and lets a moderator reply."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from byline.comments.models import Comment
from byline.news import newsroom


@pytest.fixture
def editor(db):
    user = get_user_model().objects.create_user("eddie", password="pw-eddie-123")
    user.groups.add(Group.objects.get(name=newsroom.EDITORS))
    return user


def test_editor_sees_held_comments_with_the_rule_that_held_them(
    client, editor, approved_comment
):
    approved_comment(
        "Buy now at my casino", status="pending", moderation_note="suspect word: casino"
    )
    client.force_login(editor)
    response = client.get("/admin/comments/", {"status": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy now at my casino" in html
    assert "suspect word: casino" in html


def test_bulk_approve_publishes_and_counts(client, editor, approved_comment):
    held = [approved_comment(f"Held {i}", status="pending") for i in range(3)]
    article = held[0].article
    client.force_login(editor)
    url = "/admin/bulk/comments/comment/approve/?" + "&".join(
        f"id={c.pk}" for c in held
    )
    assert client.get(url).status_code == 200  # the confirmation page
    response = client.post(url)
    assert response.status_code == 302
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    article.refresh_from_db()
    assert article.comment_count == 3


def test_bulk_spam_and_reject(client, editor, approved_comment):
    a, b = approved_comment("A"), approved_comment("B")
    client.force_login(editor)
    client.post(f"/admin/bulk/comments/comment/spam/?id={a.pk}")
    client.post(f"/admin/bulk/comments/comment/reject/?id={b.pk}")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("spam", "rejected")


def test_reporters_cannot_moderate(client, approved_comment, db):
    reporter = get_user_model().objects.create_user("rita", password="pw-rita-123")
    reporter.groups.add(Group.objects.get(name=newsroom.REPORTERS))
    comment = approved_comment(status="pending")
    client.force_login(reporter)
    client.post(f"/admin/bulk/comments/comment/approve/?id={comment.pk}")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reported_approved_comments_show_in_the_queue(client, editor, approved_comment):
    from byline.comments.models import Report

    calm = approved_comment("Calm words.")
    flagged = approved_comment("Flagged words.")
    Report.objects.create(comment=flagged, reason="abuse")
    client.force_login(editor)
    html = client.get("/admin/comments/", {"reported": "true"}).content.decode()
    assert "Flagged words." in html and "Calm words." not in html
    assert calm
    client.post(f"/admin/bulk/comments/comment/approve/?id={flagged.pk}")
    assert not Report.objects.filter(resolved=False).exists()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_bulk_confirmation_asks_the_question_with_a_labelled_button(
    client, editor, approved_comment
):
    """The confirmation page reads "Approve 2 comments?" above an "Approve" button."""
    held = [approved_comment(f"Held {i}", status="pending") for i in range(2)]
    client.force_login(editor)
    url = "/admin/bulk/comments/comment/approve/?" + "&".join(
        f"id={c.pk}" for c in held
    )
    soup = soup_of(client.get(url))
    assert soup.find("h1").get_text(" ", strip=True) == "Approve 2 comments?"
    form = soup.find("form", attrs={"method": "POST"})
    assert form.find("button", type="submit").get_text(strip=True) == "Approve"
    assert soup.find("title").get_text(strip=True).startswith("Approve 2 comments")


def test_comments_are_named_by_their_articles_headline(
    client, editor, approved_comment, published_article
):
    """A comment is "Name on <headline>", never "Name on <page id>"."""
    comment = approved_comment("Sharp point.", name="Ada Reader", status="pending")
    assert str(comment).startswith(f"Ada Reader on “{published_article.title}”")
    client.force_login(editor)
    page = soup_of(client.get(f"/admin/comments/edit/{comment.pk}/")).get_text(" ")
    assert published_article.title in page
    assert f"on {published_article.pk}" not in page


def test_menu_and_dashboard_count_what_waits_for_a_moderator(
    client, editor, approved_comment
):
    """Held comments and reported shown ones are counted on the menu's Comments
    item and listed, newest first, on the dashboard."""
    from byline.comments.models import Report

    approved_comment("Fine words.")
    approved_comment("Held for a link.", status="pending")
    reported = approved_comment("Reported words.")
    Report.objects.create(comment=reported, reason="abuse")
    approved_comment("Already rejected.", status="rejected")
    client.force_login(editor)
    soup = soup_of(client.get("/admin/"))
    props = json.loads(soup.find(id="wagtail-sidebar-props").string)
    flat = json.dumps(props)
    assert '"data-waiting": "2"' in flat
    assert '"aria-label": "Comments, 2 waiting"' in flat
    panel = soup.find(id="waiting-comments-section")
    texts = [a.get_text(strip=True) for a in panel.select("li > a")]
    assert texts == ["Reported words.", "Held for a link."]
    assert "(2)" in panel.find("h2").get_text()
    queue = client.get(panel.select_one("a.button")["href"])
    listed = soup_of(queue).select("td.byline-comment-cell .title-wrapper a")
    assert sorted(a.get_text(strip=True) for a in listed) == [
        "Held for a link.",
        "Reported words.",
    ]


def test_moderation_screens_say_comments_not_snippets(client, editor, approved_comment):
    """No "snippet" in the menu, the queue's text, labels or address."""
    comment = approved_comment("Some words.", status="pending")
    client.force_login(editor)
    pages = [
        "/admin/",
        "/admin/comments/",
        f"/admin/comments/edit/{comment.pk}/",
        f"/admin/bulk/comments/comment/approve/?id={comment.pk}",
        f"/admin/bulk/comments/comment/delete/?id={comment.pk}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        soup = soup_of(response)
        shown = soup.get_text(" ").lower()
        labels = " ".join(
            str(tag.get(attr, ""))
            for tag in soup.find_all(True)
            for attr in ("aria-label", "title", "placeholder")
        ).lower()
        props = soup.find(id="wagtail-sidebar-props")
        menu = props.string.lower() if props else ""
        for where in (shown, labels, menu):
            assert "snippet" not in where, url
    footer = soup_of(client.get("/admin/comments/")).find(
        attrs={"data-bulk-action-footer": True}
    )
    # The selection count's words come from wagtailConfig by this type; ours
    # (admin-comments.js) say "comments" (the browser test sees them).
    assert footer["data-bulk-action-footer"] == "COMMENT"


def test_each_row_has_its_verdicts_and_the_passage(client, editor, approved_comment):
    """A row offers Approve (when held), Reject, Spam and Reply, and shows the
    passage a comment is about."""
    held = approved_comment(
        "About that line.", status="pending", quote="the talks on 16 and 17 May"
    )
    client.force_login(editor)
    soup = soup_of(client.get("/admin/comments/"))
    cell = soup.find(id=f"snippet_{held.pk}_title").find_parent("td")
    assert "the talks on 16 and 17 May" in cell.find("blockquote").get_text()
    buttons = [b.get_text(strip=True) for b in cell.select("form button")]
    assert buttons == ["Approve", "Reject", "Spam"]
    assert cell.find("a", string="Reply")["href"].startswith(
        f"/admin/comments/{held.pk}/reply/"
    )


def test_row_verdicts_act_like_the_bulk_ones(client, editor, approved_comment):
    """Approving a row publishes and counts it; spam hides it and closes its
    reports; an unknown verdict changes nothing and says why."""
    from byline.comments.models import Report

    held = approved_comment("Held words.", status="pending")
    shown = approved_comment("Shown words.")
    Report.objects.create(comment=shown, reason="spam")
    client.force_login(editor)
    back = "/admin/comments/?status=pending"
    response = client.post(
        f"/admin/comments/{held.pk}/moderate/", {"action": "approve", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    client.post(f"/admin/comments/{shown.pk}/moderate/", {"action": "spam"})
    held.refresh_from_db()
    shown.refresh_from_db()
    assert (held.status, shown.status) == ("approved", "spam")
    assert not Report.objects.filter(resolved=False).exists()
    held.article.refresh_from_db()
    assert held.article.comment_count == 1
    response = client.post(
        f"/admin/comments/{held.pk}/moderate/", {"action": "publish"}, follow=True
    )
    held.refresh_from_db()
    assert held.status == "approved"
    assert "Choose Approve, Reject or Spam" in response.content.decode()
    offsite = client.post(
        f"/admin/comments/{held.pk}/moderate/",
        {"action": "approve", "next": "https://evil.example/"},
    )
    assert offsite["Location"] == "/admin/comments/"


def test_moderator_replies_from_the_admin_as_themselves(
    client, editor, approved_comment
):
    """A reply from the admin is published at once under the editor's name, in
    the thread; replying to a held comment approves it first."""
    editor.first_name, editor.last_name = "Eddie", "Marsh"
    editor.email = "eddie@newsroom.example"
    editor.save()
    held = approved_comment("Is this sourced?", status="pending")
    client.force_login(editor)
    page = soup_of(client.get(f"/admin/comments/{held.pk}/reply/"))
    assert "Is this sourced?" in page.get_text()
    assert page.find("button", type="submit").get_text(strip=True) == (
        "Approve and reply"
    )
    response = client.post(
        f"/admin/comments/{held.pk}/reply/", {"text": "Yes: see the sources box."}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(parent=held)
    assert (reply.user, reply.name, reply.status) == (editor, "Eddie Marsh", "approved")
    assert reply.root_id == held.pk and reply.depth == 2
    held.refresh_from_db()
    assert held.status == "approved"
    held.article.refresh_from_db()
    assert held.article.comment_count == 2


def test_an_empty_reply_is_refused_with_the_form_kept(client, editor, approved_comment):
    """An empty reply re-renders the form with a reason and publishes nothing."""
    comment = approved_comment("Question?")
    client.force_login(editor)
    response = client.post(f"/admin/comments/{comment.pk}/reply/", {"text": "  "})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Comment.objects.filter(parent=comment).exists()


def test_reporters_cannot_use_row_verdicts_or_reply(client, approved_comment, db):
    """Reporters have no moderation rights: row actions and replies are refused."""
    reporter = get_user_model().objects.create_user("rita", password="pw-rita-123")
    reporter.groups.add(Group.objects.get(name=newsroom.REPORTERS))
    comment = approved_comment(status="pending")
    client.force_login(reporter)
    # Wagtail answers a refused admin view by going back to the dashboard.
    refused = client.post(
        f"/admin/comments/{comment.pk}/moderate/", {"action": "approve"}
    )
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    refused = client.post(f"/admin/comments/{comment.pk}/reply/", {"text": "Hi"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not Comment.objects.filter(parent=comment).exists()


def test_a_comment_its_author_deleted_stays_deleted(client, editor, approved_comment):
    """No verdict or reply brings back a comment its author deleted."""
    gone = approved_comment("", status="deleted")
    client.force_login(editor)
    cell = (
        soup_of(client.get("/admin/comments/"))
        .find(id=f"snippet_{gone.pk}_title")
        .find_parent("td")
    )
    assert cell.select("form button") == [] and cell.find("a", string="Reply") is None
    client.post(f"/admin/comments/{gone.pk}/moderate/", {"action": "approve"})
    assert client.get(f"/admin/comments/{gone.pk}/reply/").status_code == 404
    client.post(f"/admin/bulk/comments/comment/approve/?id={gone.pk}")
    gone.refresh_from_db()
    assert gone.status == "deleted"
