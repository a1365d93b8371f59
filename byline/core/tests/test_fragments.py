"""Parts of article pages kept between renders change exactly when the page does.

Every test renders pages as the page cache cannot serve them (PAGE_CACHE off,
`Cache-Control: no-cache`), so what a reader sees comes from kept parts.
"""

import time

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from byline.core import cachetags as cache_tags
from byline.core.cacheable import STATE, PageCacheState
from byline.core.fragments import kept_part


@pytest.fixture(autouse=True)
def _uncached(uncached):
    """Whole pages are never kept here: only their parts are."""


def page(client, article):
    response = client.get(article.url, HTTP_CACHE_CONTROL="no-cache")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def shown(soup):
    """What a reader sees that kept parts hold, as text and markup."""
    header = soup.select_one(".article-header")
    return {
        "headline": soup.select_one("h1#headline").get_text(),
        "byline": soup.select_one("p.byline").get_text(" ", strip=True),
        "comments": header.select_one('a[href="#comments"]').get_text(),
        "body": soup.select_one('[data-provenance="body"]').decode_contents(),
        "tags": [a.get_text() for a in soup.select(".tag-list a")],
        "corrections": [
            li.get_text(" ", strip=True) for li in soup.select(".corrections li")
        ],
        "related": [a.get_text() for a in soup.select("#related .card-headline a")],
        "json_ld": soup.select_one('script[type="application/ld+json"]').string,
    }


def normalised(soup):
    """The page with what differs per request (tokens, nonces) blanked."""
    for tag in soup.select('input[name="csrfmiddlewaretoken"], input[name="ts"]'):
        tag["value"] = ""
    for tag in soup.select("[nonce]"):
        tag["nonce"] = ""
    return str(soup)


def test_a_render_from_kept_parts_is_the_page_rendered_afresh(
    client, published_article
):
    """The second render, from kept parts, is the first one, element for element."""
    page(client, published_article)  # creates the site's settings rows
    cache_tags.cache.clear()
    fresh = page(client, published_article)
    kept = page(client, published_article)
    assert normalised(kept) == normalised(fresh)
    assert shown(kept)["headline"] == "Putin and Xi meet in Beijing"


def test_a_render_from_kept_parts_reads_no_provenance_tags_or_related_lists(
    client, published_article
):
    """Kept parts spare the queries of what they show."""
    page(client, published_article)  # creates the site's settings rows
    page(client, published_article)
    with CaptureQueriesContext(connection) as queries:
        page(client, published_article)
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("provenance_provenancerecord", "related_relatedlink", "taggit_tag"):
        assert table not in read


def test_a_published_edit_shows_at_once(client, published_article, publish):
    """Headline, body and tags of a new version replace the kept ones."""
    page(client, published_article)
    publish(
        published_article,
        title="Putin and Xi sign a pact",
        body="<p>A new first paragraph.</p>",
        tags=["Treaties"],
    )
    now = shown(page(client, published_article))
    assert now["headline"] == "Putin and Xi sign a pact"
    assert "A new first paragraph." in now["body"]
    assert now["tags"] == ["Treaties"]
    assert "Putin and Xi sign a pact" in now["json_ld"]


def test_an_approved_comment_shows_at_once(
    client, published_article, django_capture_on_commit_callbacks
):
    """The count in the article's header follows a comment approved since."""
    from byline.comments.models import Comment
    from byline.comments.moderation import recount

    assert shown(page(client, published_article))["comments"] == "0 comments"
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.create(
            article_id=published_article.pk,
            name="Reader",
            email="reader@example.com",
            text="A fair summary.",
            status=Comment.Status.APPROVED,
        )
        recount([published_article.pk])
    assert shown(page(client, published_article))["comments"] == "1 comment"


def test_a_published_correction_shows_at_once(
    client, published_article, django_capture_on_commit_callbacks
):
    """A correction note and its signed version reach the kept parts at once."""
    before = page(client, published_article)
    assert shown(before)["corrections"] == []
    with django_capture_on_commit_callbacks(execute=True):
        published_article.body = "<p>The talks were on 16 and 17 May.</p>"
        published_article.correction_notes = [
            published_article.correction_notes.model(
                kind="correction", note="The date was wrong."
            )
        ]
        published_article.save_revision().publish()
    after = page(client, published_article)
    assert any("The date was wrong." in note for note in shown(after)["corrections"])
    assert "2 signed versions" in after.select_one(".provenance-mark").get_text()


def test_an_authors_new_name_shows_at_once(
    client, published_article, author, django_capture_on_commit_callbacks
):
    """A change shown site-wide (an author's name) reaches every kept part."""
    page(client, published_article)
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Ada Lovelace"
        author.save()
    soup = page(client, published_article)
    assert "Ada Lovelace" in shown(soup)["byline"]
    assert "Ada Lovelace" in soup.select_one(".author-name").get_text()


def test_a_related_articles_new_headline_shows_at_once(
    client, make_article, publish, django_capture_on_commit_callbacks
):
    """A card under an article follows an edit of the article it shows."""
    from byline.related import lists

    oil = "<p>Moscow Kremlin sanctions oil exports Urals crude tanker fleet {}</p>"
    first = make_article("Oil sanctions bite", body=oil.format("refinery diesel"))
    second = make_article("Kremlin shrugs", body=oil.format("rouble budget"))
    with django_capture_on_commit_callbacks(execute=True):
        lists.rebuild()
    assert "Kremlin shrugs" in shown(page(client, first))["related"]
    publish(second, title="Kremlin shrugs again")
    assert "Kremlin shrugs again" in shown(page(client, first))["related"]


def test_a_preview_is_neither_kept_nor_served_from_kept_parts(
    client, published_article
):
    """An editor's unsaved headline stays in the preview; readers keep the live one."""
    live = shown(page(client, published_article))["headline"]
    draft = published_article.specific
    draft.title = "A headline nobody published"
    preview = draft.make_preview_request()
    assert b"A headline nobody published" in preview.content
    assert shown(page(client, published_article))["headline"] == live


def test_the_correction_alert_form_stays_personal(client, published_article):
    """Each reader's form carries their own CSRF token, not a kept one."""
    from django.test import Client

    page(client, published_article)
    tokens = {
        page(reader, published_article)
        .select_one('#correction-alert input[name="csrfmiddlewaretoken"]')
        .get("value")
        for reader in (Client(), Client())
    }
    assert len(tokens) == 2 and None not in tokens


def test_a_part_rendered_from_data_read_before_a_change_is_not_kept(
    published_article,
):
    """A request that began before a change must not keep what it read."""

    def request_started_at(started_ns):
        request = RequestFactory().get(published_article.url)
        setattr(request, STATE, PageCacheState(False, started_ns))
        return request

    slow = request_started_at(time.time_ns())
    cache_tags.bump([cache_tags.page(published_article.pk)])  # a change meanwhile
    assert kept_part(slow, "t", published_article, lambda: "old") == "old"
    later = request_started_at(time.time_ns())
    assert kept_part(later, "t", published_article, lambda: "new") == "new"
    again = request_started_at(time.time_ns())
    assert kept_part(again, "t", published_article, lambda: "unused") == "new"
