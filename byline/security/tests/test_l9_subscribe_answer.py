"""L9: the "notify me" answer does not tell who follows an article.

The review learnt whether an address already followed an article from the
answer to subscribing it. Every state of an address (never seen, waiting for
confirmation, following, left) now gets the same answer, page and JSON alike.
"""

from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from byline.comments.models import Subscription


def _answers(article, email):
    url = f"/comments/article/{article.pk}/subscribe/"
    page = Client().post(url, {"email": email}, follow=True)
    shown = BeautifulSoup(page.content, "html.parser").select_one(".messages")
    data = Client().post(url, {"email": email}, HTTP_ACCEPT="application/json")
    return page.status_code, shown.get_text(" ", strip=True), data.json()


def test_subscribing_answers_the_same_whoever_follows(published_article, settings):
    """New, waiting, following and former followers all get one answer."""
    settings.COMMENTS_IP_LIMIT = (100, 300)
    now = timezone.now()
    for email, fields in [
        ("waiting@example.org", {"confirmation_sent": now}),
        ("following@example.org", {"confirmed": now}),
        ("left@example.org", {"confirmed": now, "ended": now}),
    ]:
        Subscription.objects.create(
            email=email, kind="article", article=published_article, **fields
        )
    answers = {
        email: _answers(published_article, email)
        for email in [
            "new@example.org",
            "waiting@example.org",
            "following@example.org",
            "left@example.org",
        ]
    }
    assert len(set(map(repr, answers.values()))) == 1, answers
