"""Newsletter: double opt-in, digests sent once, per-section choice, unsubscribe."""

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from byline.newsletter.models import DigestDelivery, Subscriber

# Tuesday 2024-05-07 06:00 UTC: the daily digest covers Monday 6 May.
TUESDAY = "2024-05-07T06:00:00+00:00"
MONDAY_NEXT = "2024-05-13T06:00:00+00:00"


def sign_up(client, email="reader@example.org", frequency="daily", **extra):
    return client.post(
        "/newsletter/", {"email": email, "frequency": frequency, "website": "", **extra}
    )


def confirm_last(client):
    link = re.search(r"http://\S+/newsletter/confirm/\S+/", mail.outbox[-1].body).group(
        0
    )
    # Opening the link shows the choices; the page's button confirms them.
    assert client.get(link.split("8000", 1)[1]).status_code == 200
    assert client.post(link.split("8000", 1)[1]).status_code == 200
    mail.outbox.clear()


def send_digests(now=TUESDAY, **options):
    call_command("send_digests", now=now, verbosity=0, **options)


@pytest.fixture
def monday_news(make_article, other_section):
    on_monday = datetime(2024, 5, 6, 9, tzinfo=UTC)
    return {
        "world": make_article("World on Monday", published_at=on_monday),
        "business": make_article(
            "Markets on Monday", parent=other_section, published_at=on_monday
        ),
        "sunday": make_article(
            "World on Sunday", published_at=datetime(2024, 5, 5, 9, tzinfo=UTC)
        ),
    }


def test_sign_up_needs_confirmation_before_anything_is_sent(client, monday_news):
    response = sign_up(client)
    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    [confirmation] = mail.outbox
    assert confirmation.subject == "Confirm your newsletter subscription"
    assert confirmation.alternatives[0][1] == "text/html"
    mail.outbox.clear()
    send_digests()
    assert mail.outbox == []  # not confirmed yet


def test_a_daily_digest_lists_the_days_articles_once(client, monday_news):
    sign_up(client)
    confirm_last(client)
    send_digests()
    [digest] = mail.outbox
    assert digest.to == ["reader@example.org"]
    assert digest.subject == "Daily digest, 6 May 2024: 2 articles"
    assert "World on Monday" in digest.body and "Markets on Monday" in digest.body
    assert "World on Sunday" not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    send_digests()  # again, later the same day: nothing twice
    send_digests(now="2024-05-07T23:00:00+00:00")
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.get().articles == 2


def test_sections_can_be_chosen(client, monday_news, other_section):
    sign_up(client, sections=[other_section.pk])
    confirm_last(client)
    send_digests()
    [digest] = mail.outbox
    assert "Markets on Monday" in digest.body and "World on Monday" not in digest.body


def test_weekly_digests_go_out_on_mondays_for_the_week_before(client, monday_news):
    sign_up(client, frequency="weekly")
    confirm_last(client)
    send_digests()  # a Tuesday: no weekly digest
    assert mail.outbox == []
    send_digests(now=MONDAY_NEXT)
    [digest] = mail.outbox
    assert digest.subject.startswith("Weekly digest, 12 May 2024: 2 articles")


def test_a_day_without_articles_sends_nothing(client, monday_news):
    sign_up(client)
    confirm_last(client)
    send_digests(now="2024-06-01T06:00:00+00:00")
    assert mail.outbox == []


def test_one_click_unsubscribe_stops_the_newsletter(client, monday_news):
    sign_up(client)
    confirm_last(client)
    send_digests()
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(link.split("8000", 1)[1], {"List-Unsubscribe": "One-Click"})
    assert response.content == b"Unsubscribed."
    assert not Subscriber.objects.get().active
    mail.outbox.clear()
    send_digests(now="2024-05-08T06:00:00+00:00")
    assert mail.outbox == []


def test_bad_input_re_renders_with_what_was_typed(client, db):
    response = sign_up(client, email="not an address", frequency="hourly")
    assert response.status_code == 400
    html = response.content.decode()
    assert "That does not look like an email address." in html
    assert 'value="not an address"' in html
    assert "Select a valid choice" in html
    assert mail.outbox == []


def test_bots_and_floods_are_refused(client, db):
    assert sign_up(client, website="spam").status_code == 400
    for n in range(5):
        sign_up(client, email=f"r{n}@example.org")
    response = sign_up(client, email="late@example.org")
    assert response.status_code == 429
    assert 'value="late@example.org"' in response.content.decode()


def test_forged_links_are_refused(client, db):
    assert client.get("/newsletter/confirm/forged/").status_code == 404
    assert client.post("/newsletter/unsubscribe/forged/").status_code == 404


def test_the_form_is_in_every_footer_and_on_about(client, published_article, home):
    from byline.core.models import StandardPage

    about = StandardPage(title="About", slug="about", show_newsletter_signup=True)
    home.add_child(instance=about)
    for url in ["/", published_article.url, about.url]:
        html = client.get(url).content.decode()
        assert 'action="/newsletter/"' in html, url
    assert "page-newsletter" in client.get(about.url).content.decode()


def test_editors_can_export_subscribers_as_csv(client, db):
    from django.contrib.auth import get_user_model

    sign_up(client, email="one@example.org")
    admin = get_user_model().objects.create_superuser("boss", "b@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/snippets/newsletter/subscriber/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("Email")
    assert "one@example.org" in body and "awaiting confirmation" in body


def test_the_scheduler_sends_the_digests_of_the_day(client, db, settings):
    from byline.newsletter.models import Digest

    settings.NEWSLETTER_SEND_HOUR = 0
    sign_up(client)
    confirm_last(client)
    call_command("run_scheduler", runs=1, interval=0)
    call_command("run_scheduler", runs=1, interval=0)
    assert Digest.objects.filter(frequency="daily").count() == 1
    assert DigestDelivery.objects.count() == 1


def test_subscribers_come_over_from_a_csv(tmp_path, db, capsys):
    source = tmp_path / "subscribers.csv"
    source.write_text(
        "Email,Frequency\nOne@Example.org,weekly\nnot-an-address,daily\n"
        "two@example.org,hourly\nthree@example.org,\n"
    )
    call_command("import_subscribers", str(source))
    out, err = capsys.readouterr()
    assert "2 added (confirmation sent), 0 already here, 2 bad rows skipped" in out
    assert "line 3: 'not-an-address' is not an email address" in err
    assert "line 4: frequency 'hourly' is not daily or weekly" in err
    assert {m.to[0] for m in mail.outbox} == {"one@example.org", "three@example.org"}
    assert Subscriber.objects.get(email="one@example.org").frequency == "weekly"
    call_command("import_subscribers", str(source), confirmed=True)
    assert "0 added" in capsys.readouterr().out
    assert Subscriber.objects.count() == 2


def test_subscribers_confirmed_on_the_old_site_start_at_once(tmp_path, db):
    source = tmp_path / "subscribers.csv"
    source.write_text("email\nreader@example.org\n")
    call_command("import_subscribers", str(source), confirmed=True)
    assert Subscriber.objects.get().active and mail.outbox == []
