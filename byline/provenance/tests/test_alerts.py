"""Readers who ask are emailed when an article is corrected or updated, once."""

import re

import pytest
from django.core import mail

from byline.provenance import alerts
from byline.provenance.models import CorrectionAlert


def sign_up(client, article, email="reader@example.org", **extra):
    return client.post(
        f"/provenance/alerts/{article.pk}/", {"email": email, "website": "", **extra}
    )


def link_in(message, pattern):
    return re.search(pattern, message.body).group(0)


@pytest.fixture
def republish(django_capture_on_commit_callbacks):
    """Republish as an editor does; the alert task runs when the publish commits."""

    def run(article, body=None, note=None):
        if body:
            article.body = body
        if note:
            article.correction_notes = [
                article.correction_notes.model(kind="correction", note=note)
            ]
        with django_capture_on_commit_callbacks(execute=True):
            article.save_revision().publish()
        article.refresh_from_db()

    return run


@pytest.fixture
def confirmed_reader(client, published_article):
    sign_up(client, published_article)
    [confirmation] = mail.outbox
    # The link opens a page whose button confirms (L10: scanners press nothing).
    client.post(
        link_in(confirmation, r"http://\S+/provenance/alerts/confirm/\S+/").split(
            "8000", 1
        )[1]
    )
    mail.outbox.clear()
    return CorrectionAlert.objects.get()


def test_signing_up_sends_one_confirmation_and_nothing_else(
    client, published_article, republish
):
    response = sign_up(client, published_article)
    assert response.status_code == 302
    assert response["Location"] == published_article.url + "#correction-alert"
    [message] = mail.outbox
    assert message.to == ["reader@example.org"]
    assert "/provenance/alerts/confirm/" in message.body
    assert message.alternatives[0][1] == "text/html"
    sign_up(client, published_article)  # again within the hour: no second mail
    assert len(mail.outbox) == 1
    republish(published_article, note="Unconfirmed readers hear nothing.")
    assert len(mail.outbox) == 1


def test_a_correction_mails_confirmed_readers_once_with_one_click_unsubscribe(
    client, published_article, confirmed_reader, republish
):
    assert confirmed_reader.active
    republish(published_article, body="<p>Fixed.</p>", note="The date was wrong.")
    [message] = mail.outbox
    assert message.subject == f"Corrected: {published_article.title}"
    assert "Correction: The date was wrong." in message.body
    assert "/provenance/" in message.body
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    unsubscribe = (
        message.extra_headers["List-Unsubscribe"].strip("<>").split("8000", 1)[1]
    )
    from byline.provenance.models import ProvenanceRecord

    latest = ProvenanceRecord.objects.order_by("-seq").first().seq
    assert alerts.notify(latest) == 0  # a worker retrying the task sends nothing twice
    assert len(mail.outbox) == 1
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.content == b"Unsubscribed."
    republish(published_article, body="<p>Fixed again.</p>")
    assert len(mail.outbox) == 1


def test_an_update_without_a_note_is_announced_and_a_no_change_republish_is_not(
    client, published_article, confirmed_reader, republish
):
    republish(published_article)  # nothing a reader sees changed
    assert mail.outbox == []
    republish(published_article, body="<p>New paragraph.</p>")
    [message] = mail.outbox
    assert message.subject.startswith("Updated: ")


def test_a_bad_address_re_renders_the_form_with_what_was_typed(
    client, published_article
):
    response = sign_up(client, published_article, email="not-an-address")
    assert response.status_code == 400
    html = response.content.decode()
    assert "That does not look like an email address." in html
    assert 'value="not-an-address"' in html
    assert mail.outbox == []


def test_hostile_input_is_escaped(client, published_article):
    response = sign_up(client, published_article, email='"><script>alert(1)</script>')
    assert b"<script>alert(1)</script>" not in response.content


def test_bots_filling_the_honeypot_and_floods_are_refused(client, published_article):
    assert sign_up(client, published_article, website="http://spam").status_code == 400
    for _ in range(5):
        sign_up(client, published_article, email="a@example.org")
    response = sign_up(client, published_article, email="b@example.org")
    assert response.status_code == 429
    assert "Too many sign-ups" in response.content.decode()
    assert 'value="b@example.org"' in response.content.decode()


def test_forged_and_expired_links_are_refused(client, db):
    assert client.get("/provenance/alerts/confirm/forged/").status_code == 404
    assert client.post("/provenance/alerts/unsubscribe/forged/").status_code == 404


def test_the_form_is_on_the_article(client, published_article):
    html = client.get(published_article.url).content.decode()
    assert f'action="/provenance/alerts/{published_article.pk}/"' in html
    assert "Email me if this article is corrected or updated" in html
