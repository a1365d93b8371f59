"""The reader interface in the site's language (issue 19, item 33).

The main tests render every reader page, and send every mail a reader can get,
with LANGUAGE_CODE=fr, and read each word a reader is shown. The newsroom's
own content (headlines, names, tags, comments, the site's name) is made of
invented words, so it is told apart by construction: what is left must be
French, that is, a word of a French translation (ours or Django's). An English
string nobody marked for translation leaves English words behind, and fails
the test.
"""

import os
import re
import subprocess
import sys
from itertools import product

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import trans_real

WORD = re.compile(r"[^\W\d_]+")
EMAIL = re.compile(r"\S+@\S+")
URL = re.compile(r"\S+://\S+")
# Not read: code, machine data and the reader's own input.
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "noscript"}
READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "label")
READ_META = {"description", "og:title", "og:description", "twitter:title"}


class Inventor:
    """Invented words for the newsroom's content ("Zuqavo"): no language has
    them, and each one made is remembered, so the test can set content aside
    without a list of strings."""

    def __init__(self):
        syllables = ["".join(pair) for pair in product("zqxvk", "uaoi")]
        self._made = (
            "".join(trio)
            for trio in product(syllables, repeat=3)
            if len(set(trio)) == 3
        )
        self.words = set()

    def __call__(self, words=1):
        made = [next(self._made).capitalize() for _ in range(words)]
        self.words |= {word.lower() for word in made}
        return " ".join(made)


def french_words():
    """Every word of the French translations Django reads: Byline's catalogue,
    Django's and each installed app's."""
    catalogue = trans_real.translation("fr")._catalog
    words = set()
    for _, text in catalogue.items():
        words |= {word.lower() for word in WORD.findall(text)}
    return words


def shown_text(html):
    """What a reader reads on a page: text, labels and the page's summary."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []
    for meta in soup.find_all("meta"):
        if (meta.get("name") or meta.get("property")) in READ_META:
            texts.append(meta.get("content", ""))
    for element in soup.find_all(True):
        for name in READ_ATTRIBUTES:
            if element.get(name) and element.name not in SKIPPED_TAGS:
                texts.append(element[name])
    for skipped in soup.find_all(SKIPPED_TAGS):
        skipped.decompose()
    texts += list(soup.stripped_strings)
    return texts


def foreign_words(html, allowed):
    """(word, the text it was in) for each word neither French nor content."""
    return foreign_in(shown_text(html), allowed)


def foreign_in(texts, allowed):
    found = []
    for text in texts:
        for word in WORD.findall(EMAIL.sub(" ", URL.sub(" ", text))):
            if word.lower() not in allowed:
                found.append((word, text.strip()[:100]))
    return found


@pytest.fixture
def in_french(settings):
    settings.LANGUAGE_CODE = "fr"
    settings.PAGE_CACHE = False
    for name in ("RATE_LIMIT_POSTS", "RATE_LIMIT_SEARCH", "RATE_LIMIT_SUGGEST"):
        setattr(settings, name, (10**6, 60))
    settings.COMMENTS_IP_LIMIT = settings.COMMENTS_EMAIL_LIMIT = (10**6, 60)
    return settings


@pytest.fixture
def invented_newsroom(in_french, home, section, author, make_article):
    """A newsroom whose every word of content is invented: {name: object}."""
    from wagtail.models import Site

    from byline.comments.models import Comment
    from byline.comments.moderation import approve, recount
    from byline.core.models import SiteSettings, StandardPage
    from byline.newsletter.models import NewsletterSettings

    invent = Inventor()
    home.intro = home.search_description = invent(4)
    home.save()
    site = Site.objects.get(is_default_site=True)
    site.site_name = invent()
    site.save()
    chrome = SiteSettings.for_site(site)
    chrome.tagline, chrome.about_blurb = invent(3), invent(6)
    chrome.save()
    newsletter = NewsletterSettings.for_site(site)
    newsletter.enabled, newsletter.pitch = True, invent(5)
    newsletter.save()
    section.title, section.intro = invent(), invent(4)
    section.save()
    author.name, author.role = invent(2), invent()
    author.save()

    def article(**fields):
        return make_article(
            invent(5),
            parent=section,
            standfirst=invent(8),
            body=f"<p>{invent(12)}</p><p>{invent(12)}</p>",
            tags=[invent(), invent()],
            **fields,
        )

    story = article(dateline=invent(), methods=invent(6))
    story.body = f"<p>{invent(12)}</p><p>{invent(12)}</p>"
    story.correction_notes = [
        story.correction_notes.model(kind="correction", note=invent(6))
    ]
    story.save_revision().publish()
    story.refresh_from_db()
    article()
    about = StandardPage(
        title=invent(2),
        slug="about",
        intro=invent(4),
        body=f"<p>{invent(10)}</p>",
        show_newsletter_signup=True,
    )
    home.add_child(instance=about)
    about.save_revision().publish()

    words = story.body.split("<p>")[1].split()
    passage = " ".join(words[2:5])
    comment = Comment.objects.create(
        article=story,
        depth=1,
        name=invent(),
        email="one@example.org",
        text=invent(9),
        quote=passage,
        status=Comment.Status.PENDING,
    )
    reply = Comment.objects.create(
        article=story,
        parent=comment,
        depth=2,
        name=invent(),
        email="two@example.org",
        text=invent(7),
        status=Comment.Status.PENDING,
    )
    approve([comment, reply])
    recount([story.pk])
    story.refresh_from_db()
    tag = story.tags.first()
    return {
        "invent": invent,
        "story": story,
        "section": section,
        "author": author,
        "about": about,
        "tag": tag,
        "comment": comment,
        "passage": passage,
        "in_french": in_french,
    }


def reader_pages(newsroom):
    """Render each reader page: {name: (status, html)}."""
    from byline.comments import tokens
    from byline.comments.models import Subscription
    from byline.comments.tests.conftest import served_token
    from byline.newsletter import signup
    from byline.provenance import alerts

    story, comment = newsroom["story"], newsroom["comment"]
    invent = newsroom["invent"]
    subscription = Subscription.objects.create(
        email="one@example.org", article=story, kind=Subscription.Kind.REPLIES
    )
    subscriber, _ = signup.subscribe("one@example.org", "weekly", [])
    alert, _ = alerts.subscribe("one@example.org", story)
    reader = Client()
    newsletter_confirm = reverse(
        "newsletter_confirm", args=[signup.make_token("confirm", subscriber.pk)]
    )
    newsletter_end = reverse(
        "newsletter_unsubscribe", args=[signup.make_token("end", subscriber.pk)]
    )
    alert_confirm = reverse(
        "correction_alert_confirm", args=[alerts.make_token("confirm", alert.pk)]
    )
    alert_end = reverse(
        "correction_alert_unsubscribe", args=[alerts.make_token("end", alert.pk)]
    )
    gets = {
        "home": "/",
        "section": newsroom["section"].url,
        "article": story.url,
        "tag": reverse("tag", args=[newsroom["tag"].slug]),
        "author": reverse("author", args=[newsroom["author"].slug]),
        "about": newsroom["about"].url,
        "search": "/search/",
        "search_results": "/search/?q=" + story.title.split()[0],
        "search_no_results": "/search/?q=" + invent(),
        "search_filters": f"/search/?q={invent()}&date_from=nonsense&sort=newest",
        # People and topics above the results, and every filter set.
        "search_topics": "/search/?"
        + urlencode(
            {
                "q": newsroom["author"].name.split()[0],
                "section": newsroom["section"].slug,
                "type": "news",
                "author": newsroom["author"].slug,
                "date_from": "2020-01-01",
                "date_to": "2030-12-31",
            }
        ),
        "search_tag": "/search/?q=" + newsroom["tag"].name,
        "provenance": story.url + "provenance/",
        "corrections_log": reverse("corrections_log"),
        "newsletter": reverse("newsletter_signup"),
        "newsletter_confirm": newsletter_confirm,
        "newsletter_unsubscribe": newsletter_end,
        "comments_all": reverse("comments:all", args=[story.pk]),
        "comments_mine_request": reverse("comments:mine_request"),
        "comments_mine": reverse(
            "comments:mine", args=[tokens.make("mine", "one@example.org")]
        ),
        "comments_subscriptions": reverse(
            "comments:subscriptions", args=[tokens.make("manage", "one@example.org")]
        ),
        "comments_confirm": reverse(
            "comments:confirm", args=[tokens.make("confirm", subscription.pk)]
        ),
        "comments_unsubscribe": reverse(
            "comments:unsubscribe", args=[tokens.make("unsubscribe", subscription.pk)]
        ),
        "comments_address": reverse(
            "comments:address",
            args=[tokens.make("address", [comment.pk, "one@example.org"])],
        ),
        "vote_confirm": reverse("comments:vote", args=[comment.pk]) + "?value=up",
        "alert_form": reverse("correction_alert", args=[story.pk]),
        "alert_confirm": alert_confirm,
        "alert_unsubscribe": alert_end,
        "not_found": "/" + invent().lower() + "/",
    }
    pages = {}
    for name, url in gets.items():
        response = reader.get(url)
        pages[name] = (response.status_code, response.content.decode())

    def post(name, url, data, follow=False):
        response = reader.post(url, data, follow=follow)
        pages[name] = (response.status_code, response.content.decode())

    # The error pages drawn without the database: a bug (500), and the
    # database refusing (503, with nothing to offer back).
    from django.db import OperationalError
    from django.test import RequestFactory

    from byline.core.errors import server_error

    for name, error in (
        ("server_error", ValueError),
        ("unavailable", OperationalError),
    ):
        try:
            raise error("down")
        except error:
            response = server_error(RequestFactory().get("/"))
        pages[name] = (response.status_code, response.content.decode())
    post("newsletter_invalid", "/newsletter/", {"email": "nope", "frequency": "daily"})
    post(
        "newsletter_inbox",
        "/newsletter/",
        {"email": "new@example.org"} | {"frequency": "daily"},
    )
    post("newsletter_done", newsletter_confirm, {})
    post("newsletter_ended", newsletter_end, {})
    post("alert_invalid", gets["alert_form"], {"email": "nope"})
    post("alert_done", alert_confirm, {})
    post("alert_ended", alert_end, {})
    post("mine_request_invalid", gets["comments_mine_request"], {"email": "nope"})
    # A comment refused for its form (empty), then one posted: the messages.
    post(
        "comment_invalid",
        reverse("comments:post", args=[story.pk]),
        {"name": invent(), "email": "three@example.org", "text": " ", "ts": ""},
    )
    post(
        "comment_posted",
        reverse("comments:post", args=[story.pk]),
        {
            "name": invent(),
            "email": "three@example.org",
            "text": invent(6),
            "ts": served_token(),
            "website": "",
        },
        follow=True,
    )
    return pages


@pytest.mark.django_db
def test_every_reader_page_is_in_the_sites_language(invented_newsroom):
    """With LANGUAGE_CODE=fr no reader page shows a word of English: every
    word is French or the newsroom's own."""
    pages = reader_pages(invented_newsroom)
    allowed = french_words() | invented_newsroom["invent"].words
    # The zone's abbreviation after a time ("14:30 UTC") is in no language.
    allowed.add(timezone.localtime().tzname().lower())
    statuses = {name: status for name, (status, _) in pages.items()}
    assert statuses["article"] == statuses["home"] == 200, statuses
    assert statuses["not_found"] == 404
    assert (statuses["server_error"], statuses["unavailable"]) == (500, 503)
    left = {
        name: found
        for name, (_, html) in pages.items()
        if (found := foreign_words(html, allowed))
    }
    assert left == {}, "\n".join(f"{name}: {found}" for name, found in left.items())


def html_part(message):
    return next(
        content for content, kind in message.alternatives if kind == "text/html"
    )


def reader_mails(newsroom, monkeypatch):
    """Send each mail a reader can get, through the senders the site uses
    (and the moderators' one): {name: [(subject, text body, html body)]}."""
    from django.core import mail

    from byline.comments import notifications
    from byline.comments.models import Comment, Subscription
    from byline.newsletter import digests, signup
    from byline.newsletter.models import Digest, Frequency
    from byline.provenance import alerts
    from byline.provenance.models import ProvenanceRecord

    story, comment = newsroom["story"], newsroom["comment"]
    reply = Comment.objects.get(parent=comment)
    address = "one@example.org"
    on_replies = Subscription.objects.create(
        email=address, article=story, kind=Subscription.Kind.REPLIES
    )
    on_article = Subscription.objects.create(
        email=address, article=story, kind=Subscription.Kind.ARTICLE
    )
    subscriber, _ = signup.subscribe(address, "weekly", [])
    alert, _ = alerts.subscribe(address, story)
    # One listed in the moderators' mail, "…and 1 more" for the other.
    monkeypatch.setattr(notifications, "MODERATION_LISTED", 1)
    now = timezone.now()

    def published_again(**fields):
        for name, value in fields.items():
            setattr(story, name, value)
        story.save_revision().publish()
        story.refresh_from_db()
        return ProvenanceRecord.objects.filter(page_id=story.pk).latest("seq").seq

    senders = {
        "comments_confirm_replies": lambda: notifications._mail_confirmation(
            on_replies
        ),
        "comments_confirm_article": lambda: notifications._mail_confirmation(
            on_article
        ),
        "comments_new_comment": lambda: notifications._mail_notification(
            on_article, comment
        ),
        "comments_new_reply": lambda: notifications._mail_notification(
            on_replies, reply
        ),
        "comments_moderation": lambda: notifications._mail_moderation_alert(
            "editor@example.org", Comment.objects.filter(article=story)
        ),
        "comments_mine": lambda: notifications._mail_own_comments_link(address),
        "comments_address_check": lambda: notifications._mail_address_check(comment),
        "newsletter_confirm": lambda: signup.send_confirmation(subscriber.pk),
        "newsletter_change": lambda: (
            signup.apply(subscriber, signup.Choices.of(subscriber)),
            signup.send_confirmation(subscriber.pk, "daily", [newsroom["section"].pk]),
        ),
        "newsletter_digest_daily": lambda: digests._send(
            Digest(frequency=Frequency.DAILY, period_start=now, period_end=now),
            subscriber,
            [story],
        ),
        "newsletter_digest_weekly": lambda: digests._send(
            Digest(frequency=Frequency.WEEKLY, period_start=now, period_end=now),
            subscriber,
            [story, story],
        ),
        "alert_confirm": lambda: alerts.send_confirmation(alert.pk),
        "alert_corrected": lambda: (
            alerts.CorrectionAlert.objects.filter(pk=alert.pk).update(confirmed=now),
            alerts.notify(
                published_again(
                    correction_notes=[
                        story.correction_notes.model(
                            kind="clarification", note=newsroom["invent"](5)
                        )
                    ]
                )
            ),
        ),
        "alert_updated": lambda: alerts.notify(
            published_again(correction_notes=[], body=f"<p>{newsroom['invent'](9)}</p>")
        ),
    }
    mails = {}
    for name, send in senders.items():
        sent = len(mail.outbox)
        send()
        mails[name] = [
            (message.subject, message.body, html_part(message))
            for message in mail.outbox[sent:]
        ]
    return mails


@pytest.mark.django_db
def test_every_mail_a_reader_gets_is_in_the_sites_language(
    invented_newsroom, mailoutbox, monkeypatch
):
    """With LANGUAGE_CODE=fr no mail shows a word of English, in its subject,
    its text or its HTML: confirmations, notifications, links, digests and
    correction alerts."""
    invented_newsroom["in_french"].MAIL_RECIPIENT_LIMIT = (10**6, 60)
    mails = reader_mails(invented_newsroom, monkeypatch)
    assert all(len(sent) == 1 for sent in mails.values()), mails
    allowed = french_words() | invented_newsroom["invent"].words
    left = {}
    for name, [(subject, text, html)] in mails.items():
        found = foreign_in([subject, *text.splitlines()], allowed)
        found += foreign_words(html, allowed)
        if found:
            left[name] = found
    assert left == {}, "\n".join(f"{name}: {found}" for name, found in left.items())
    # Counts and dates are French too.
    assert "1 autre" in mails["comments_moderation"][0][2]
    subject = mails["newsletter_digest_weekly"][0][0]
    assert subject.endswith(": 2 articles") and "semaine" in subject


@pytest.mark.django_db
def test_dates_and_numbers_are_written_in_the_sites_language(invented_newsroom):
    """Months and numbers are French: "1 mai 2024", and 1 234 with a space."""
    from django.template import engines

    story = invented_newsroom["story"]
    html = Client().get(story.url).content.decode()
    day = timezone.localtime(story.published_at)
    months = {5: "mai", 12: "décembre"}
    assert f"{day.day} {months.get(day.month, '')} {day.year}" in html
    assert "Publié le" in html
    render = engines["jinja2"].from_string("{{ 1234567|number }}").render
    assert render({}) == "1\u202f234\u202f567" or render({}) == "1\xa0234\xa0567"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "lang", "direction"),
    [("fr", "fr", "ltr"), ("ar", "ar", "rtl"), ("en-gb", "en-GB", "ltr")],
)
def test_page_names_its_language_and_direction(
    settings, home, language, lang, direction
):
    """<html lang dir> follow LANGUAGE_CODE: Arabic pages are right to left."""
    settings.LANGUAGE_CODE = language
    settings.PAGE_CACHE = False
    for url in ("/", "/search/", "/no/such/page/"):
        root = BeautifulSoup(Client().get(url).content, "html.parser").html
        assert (root["lang"], root["dir"]) == (lang, direction), url


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_caches_are_named_after_the_language(language):
    """A page kept in English is not served once LANGUAGE_CODE says French:
    the cache keys' prefix names the language read from the environment."""
    code = "from django.conf import settings; print(settings.CACHE_KEY_PREFIX)"

    def prefix(**env):
        run = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); " + code],
            env=os.environ
            | {"DJANGO_SETTINGS_MODULE": "byline.settings", "DEBUG": "1"}
            | env,
            capture_output=True,
            text=True,
            check=True,
        )
        return run.stdout.strip()

    english, other = prefix(LANGUAGE_CODE="en-gb"), prefix(LANGUAGE_CODE=language)
    assert english != other and other.endswith(language)
