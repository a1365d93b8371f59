"""An anonymous reader who follows every link finds nothing that is not public."""

import re
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import Client

DRAFT = "Draftmarker unpublished scoop"
PRIVATE = "Privatemarker members only"
PENDING = "Pendingmarker awaiting moderation"
GUEST_EMAIL = "guest.marker@example.org"
LIMIT = 600


@pytest.fixture
def newsroom(db, make_article, section):
    from wagtail.models import PageViewRestriction

    from byline.comments.models import Comment

    call_command("load_demo", stdout=StringIO())
    make_article(DRAFT, publish=False, tags=["Russia"])
    # Members-only from the start (an article made private after it was
    # public keeps its signed record in the append-only provenance log).
    private = make_article(PRIVATE, tags=["Russia"], publish=False)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    private.save_revision().publish()
    article = make_article("An open article", tags=["Russia"])
    Comment.objects.create(
        article=article,
        depth=1,
        name="Guest",
        email=GUEST_EMAIL,
        text="Approved guest words.",
        status=Comment.Status.APPROVED,
    )
    Comment.objects.create(
        article=article,
        depth=1,
        name="Other",
        email="other@example.org",
        text=PENDING,
        status=Comment.Status.PENDING,
    )
    return article


def _links(response, base):
    content_type = response.get("Content-Type", "")
    body = response.content.decode(errors="replace")
    if "html" in content_type:
        soup = BeautifulSoup(body, "html.parser")
        found = [a.get("href") for a in soup.find_all("a")]
        found += [link.get("href") for link in soup.find_all("link")]
    elif "xml" in content_type:
        found = re.findall(r"<(?:loc|link)>([^<]+)</", body)
        found += re.findall(r'<link[^>]+href="([^"]+)"', body)
    else:
        return []
    return [urldefrag(urljoin(base, href))[0] for href in found if href]


def test_a_crawl_of_every_public_page_finds_no_draft_private_page_email_or_admin(
    newsroom, settings
):
    settings.RATE_LIMIT_SEARCH = (10**6, 60)
    reader = Client(raise_request_exception=True)
    queue, seen = deque(["http://testserver/"]), {"http://testserver/"}
    pages = 0
    while queue and pages < LIMIT:
        url = queue.popleft()
        parts = urlsplit(url)
        response = reader.get(parts.path, dict(_query(parts.query)))
        pages += 1
        assert response.status_code < 500, url
        if response.status_code in (301, 302):
            location = urljoin(url, response["Location"])
            assert "/admin" not in urlsplit(location).path, (url, location)
            continue
        if response.streaming:  # files: the verifier script, media
            # (Not response.close(): it sends request_finished, which would
            # close the test's database connection on PostgreSQL.)
            body = b"".join(response.streaming_content).decode(errors="replace")
            for secret in (DRAFT, PRIVATE, PENDING, GUEST_EMAIL):
                assert secret not in body, (secret, url)
            continue
        body = response.content.decode(errors="replace")
        for secret in (DRAFT, PRIVATE, PENDING, GUEST_EMAIL):
            assert secret not in body, (secret, url)
        for link in _links(response, url):
            target = urlsplit(link)
            if target.netloc not in ("testserver", "127.0.0.1:8000", "localhost"):
                continue
            assert not target.path.startswith(("/admin", "/django-admin")), (
                url,
                link,
            )
            local = f"http://testserver{target.path}" + (
                f"?{target.query}" if target.query else ""
            )
            skip = ("/static/", "/media/")
            if local not in seen and not target.path.startswith(skip):
                seen.add(local)
                queue.append(local)
    # The crawl reached the newsroom, not just the front page.
    assert pages > 60, pages
    assert f"http://testserver{newsroom.url}" in seen


def _query(query):
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=True)
