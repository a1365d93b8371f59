"""Posting comments: moderation decisions, spam defences, threads, closing."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from byline.comments import moderation
from byline.comments.models import Comment, Moderation

from .conftest import as_reader, served_token


def test_guest_comment_is_held_first_then_trusted(post, published_article):
    response = post(published_article, "My first comment.")
    assert response.status_code == 302
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    assert first.moderation_note == "first comments are reviewed"
    moderation.approve([first])

    post(published_article, "My second comment.")
    second = Comment.objects.latest("pk")
    assert second.status == Comment.Status.APPROVED


def test_commenter_whose_recent_comments_are_mostly_rejected_is_held_again(
    client, post, published_article, approved_comment
):
    # Written from this browser: only what it proves to be its own counts.
    as_reader(client, "ana-browser")
    approved_comment(email="ana@example.org", browser="ana-browser")
    for _ in range(3):
        approved_comment(
            email="ana@example.org",
            browser="ana-browser",
            status=Comment.Status.REJECTED,
        )
    post(published_article, "Another try.")
    latest = Comment.objects.latest("pk")
    assert latest.status == Comment.Status.PENDING
    assert latest.moderation_note == "recent comments mostly rejected"


@pytest.mark.parametrize(
    ("site_mode", "section_mode", "article_mode", "expected"),
    [
        (Moderation.ALL, "", "", Comment.Status.PENDING),
        (Moderation.NONE, "", "", Comment.Status.APPROVED),
        (Moderation.NONE, "all", "", Comment.Status.PENDING),
        (Moderation.ALL, "all", "none", Comment.Status.APPROVED),
    ],
)
def test_moderation_mode_comes_from_article_then_section_then_site(
    post,
    published_article,
    comment_settings,
    site_mode,
    section_mode,
    article_mode,
    expected,
):
    comment_settings.moderation = site_mode
    comment_settings.save()
    section = published_article.section
    section.comment_moderation = section_mode
    section.save()
    published_article.comment_moderation = article_mode
    published_article.save()
    post(published_article)
    assert Comment.objects.get().status == expected


def test_rules_fire_and_say_which(post, published_article, comment_settings):
    comment_settings.moderation = Moderation.NONE
    comment_settings.banned_words = "scumbag"
    comment_settings.suspect_words = "casino"
    comment_settings.max_links = 1
    comment_settings.save()
    post(published_article, "You SCUMBAG.")
    post(published_article, "Visit my casino.")
    post(published_article, "See https://a.example and https://b.example today")
    banned, suspect, links = Comment.objects.order_by("pk")
    assert (banned.status, banned.moderation_note) == (
        "rejected",
        "banned word: scumbag",
    )
    assert (suspect.status, suspect.moderation_note) == (
        "pending",
        "suspect word: casino",
    )
    assert (links.status, links.moderation_note) == ("pending", "2 links (limit 1)")


def test_honeypot_refuses_and_keeps_what_was_typed(post, published_article):
    response = post(published_article, "Typed with care.", website="http://spam")
    assert response.status_code == 400
    assert not Comment.objects.exists()
    html = response.content.decode()
    assert "Typed with care." in html
    assert "looks automated" in html


def test_posting_faster_than_a_person_can_is_refused(post, published_article):
    response = post(published_article, "Instant.", ts=served_token(seconds_ago=0))
    assert response.status_code == 400
    assert "quicker than anyone reads" in response.content.decode()
    assert "Instant." in response.content.decode()


def test_a_forged_or_missing_form_stamp_is_refused(post, published_article):
    response = post(published_article, "Forged.", ts="not-a-token")
    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_rate_limit_answers_429_and_keeps_the_text(post, published_article):
    for i in range(5):
        assert (
            post(published_article, f"Comment {i}", email=f"x{i}@e.org").status_code
            == 302
        )
    response = post(published_article, "One too many.", email="y@e.org")
    assert response.status_code == 429
    assert "One too many." in response.content.decode()
    assert Comment.objects.count() == 5


def test_missing_fields_are_reported_per_field(post, published_article):
    response = post(published_article, "Text only.", name="", email="not-an-email")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "Text only." in html


def test_replies_nest_up_to_the_configured_depth(
    post, published_article, approved_comment, comment_settings
):
    comment_settings.max_depth = 2
    comment_settings.save()
    root = approved_comment()
    child = approved_comment(parent=root)
    post(published_article, "Replying deep.", parent=child)
    reply = Comment.objects.latest("pk")
    assert reply.parent == root  # joined the last level instead of a third
    assert reply.depth == 2
    assert reply.root == root


def test_closed_and_old_articles_take_no_comments(
    post, published_article, comment_settings
):
    published_article.comments_closed = True
    published_article.save()
    response = post(published_article, "Too late?")
    assert response.status_code == 403
    assert "closed" in response.content.decode()

    published_article.comments_closed = False
    published_article.published_at = timezone.now() - timedelta(days=31)
    published_article.save()
    comment_settings.close_after_days = 30
    comment_settings.save()
    assert post(published_article, "Still too late.").status_code == 403
    comment_settings.close_after_days = 0
    comment_settings.save()
    assert post(published_article, "Never closes now.").status_code == 302


def test_json_clients_get_json_with_reasons(post, published_article):
    ok = post(published_article, "By script.", accept_json=True)
    assert ok.status_code == 200 and ok.json()["status"] == "pending"
    bad = post(published_article, "", accept_json=True)
    assert bad.status_code == 400
    assert "text" in bad.json()["errors"]


def test_count_on_the_article_follows_approval(published_article, approved_comment):
    comment = approved_comment()
    published_article.refresh_from_db()
    assert published_article.comment_count == 1
    moderation.reject([comment])
    published_article.refresh_from_db()
    assert published_article.comment_count == 0


def test_publishing_a_draft_saved_before_a_comment_keeps_the_count(
    client, published_article, approved_comment
):
    draft = published_article.save_revision()  # an editor's draft, count 0
    approved_comment()
    draft.publish()
    published_article.refresh_from_db()
    assert published_article.comment_count == 1
    assert "Approved words." in client.get(published_article.url).content.decode()


def test_per_email_rate_limit_answers_429(post, published_article, settings):
    settings.COMMENTS_IP_LIMIT = (1000, 300)
    settings.COMMENTS_EMAIL_LIMIT = (2, 3600)
    assert post(published_article, "One.", email="same@example.org").status_code == 302
    assert post(published_article, "Two.", email="same@example.org").status_code == 302
    third = post(published_article, "Three, kept.", email="SAME@example.org")
    assert third.status_code == 429
    assert "Three, kept." in third.content.decode()
    assert (
        post(published_article, "Other.", email="other@example.org").status_code == 302
    )


def test_every_comment_form_needs_its_csrf_token(published_article, approved_comment):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    comment = approved_comment()
    for url, data in [
        (f"/comments/article/{published_article.pk}/post/", {"text": "x"}),
        (f"/comments/{comment.pk}/vote/", {"value": "up"}),
        (f"/comments/{comment.pk}/report/", {"reason": "spam"}),
        (f"/comments/article/{published_article.pk}/subscribe/", {"email": "a@b.org"}),
        ("/comments/mine/", {"email": "a@b.org"}),
    ]:
        assert browser.post(url, data).status_code == 403, url
    assert not Comment.objects.exclude(pk=comment.pk).exists()


def test_signed_in_readers_comment_under_their_account(client, published_article, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "reader",
        email="reader@example.org",
        password="pw-reader-123",
        first_name="Rae",
        last_name="Reader",
    )
    client.force_login(user)
    response = client.post(
        f"/comments/article/{published_article.pk}/post/",
        {"text": "From my account.", "ts": served_token()},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.user, comment.name, comment.email) == (
        user,
        "Rae Reader",
        "reader@example.org",
    )
    page = BeautifulSoup(client.get(published_article.url).content, "html.parser")
    form = page.find(id="comments").find("form")
    assert form.find(attrs={"name": "text"}) is not None
    assert form.find(attrs={"name": "email"}) is None
