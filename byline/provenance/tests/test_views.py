"""The public proof over HTTP: keys, an article's records, the log, reader pages."""

import feedparser
import pytest
from bs4 import BeautifulSoup

from byline.provenance import jws, keys
from byline.provenance.tests.conftest import forge_signature


def corrected(article, note="The date was wrong."):
    article.body = "<p>The talks were on 16 and 17 May.</p>"
    article.correction_notes = [
        article.correction_notes.model(kind="correction", note=note)
    ]
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_jwks_lists_ed25519_public_keys_with_their_time_range(client, db):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    [key] = response.json()["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
    assert key["use"] == "sig" and key["valid_from"] and key["valid_until"] is None
    assert "d" not in key


def test_an_articles_records_are_served_oldest_first_with_payloads(
    client, published_article
):
    corrected(published_article)
    data = client.get(published_article.url + "provenance.json").json()
    assert data["page_id"] == published_article.pk
    assert [r["seq"] for r in data["records"]] == [1, 2]
    for record in data["records"]:
        assert jws.parts(record["jws"])[1] == record["payload"]
    assert (
        data["records"][1]["payload"]["corrections"][0]["note"] == "The date was wrong."
    )


def test_drafts_and_private_articles_have_no_public_record(
    client, make_article, section
):
    from wagtail.models import PageViewRestriction

    draft = make_article(publish=False)
    assert (
        client.get(draft.url or f"/world/{draft.slug}/provenance.json").status_code
        == 404
    )
    article = make_article()
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert client.get(article.url + "provenance.json").status_code == 404
    assert client.get(article.url + "provenance/").status_code == 404


def test_the_log_pages_through_every_record_and_signs_its_head(client, make_article):
    articles = [make_article() for _ in range(3)]
    data = client.get("/provenance/log.json").json()
    assert data["count"] == 3 and data["pages"] == 1
    assert [r["payload"]["page_id"] for r in data["records"]] == [
        a.pk for a in articles
    ]
    head = data["head"]
    public = keys.public_keys([jws.parts(head["jws"])[0]["kid"]])
    _, payload = jws.verify(head["jws"], public)
    assert payload["seq"] == 3
    assert payload["hash"] == jws.token_hash(data["records"][-1]["jws"])
    window = client.get("/provenance/log.json?from=2&limit=1").json()
    assert [r["seq"] for r in window["records"]] == [2]
    assert window["next"].endswith("?from=3&limit=1")


@pytest.mark.parametrize(
    "query, status",
    [
        ("page=x", 400),
        ("page=0", 400),
        ("from=-1", 400),
        ("limit=ten", 400),
        ("page=9", 404),
    ],
)
def test_bad_log_queries_get_a_json_reason(client, db, query, status):
    response = client.get(f"/provenance/log.json?{query}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_the_reader_page_lists_versions_notes_and_a_word_diff(
    client, published_article
):
    corrected(published_article)
    html = client.get(published_article.url + "provenance/").content.decode()
    assert "every signature is valid and none is missing" in html
    assert "The date was wrong." in html
    versions = BeautifulSoup(html, "html.parser").select(".revision")
    assert len(versions) == 2
    (diff,) = [v.select_one(".diff-text") for v in versions if v.select(".diff-text")]
    assert diff.find("ins") and diff.find("del")  # the republication's word diff


def test_the_article_shows_its_mark_and_corrections(client, published_article):
    corrected(published_article, note="We had the wrong <date>.")
    html = client.get(published_article.url).content.decode()
    assert "data-provenance-mark" in html
    assert "signature checked by our server" in html
    assert "2 signed versions" in html
    assert (
        "We had the wrong &lt;date&gt;." in html
    )  # escaped, as everything readers see


def test_a_tampered_record_loses_the_mark(client, published_article):
    """The mark is earned: a record that fails its check is shown as such."""
    forge_signature(published_article)
    html = client.get(published_article.url).content.decode()
    assert "Signature could not be verified" in html
    page = client.get(published_article.url + "provenance/").content.decode()
    assert "the signature does not verify" in page


def test_the_corrections_page_and_feed_list_every_published_note(
    client, published_article
):
    corrected(published_article)
    html = client.get("/corrections/log/").content.decode()
    assert "The date was wrong." in html and published_article.title in html
    feed = feedparser.parse(client.get("/corrections/log/feed/").content)
    assert not feed.bozo
    [entry] = feed.entries
    assert entry.title == f"Correction: {published_article.title}"
    assert entry.summary == "The date was wrong."


def test_the_verifier_script_can_be_downloaded(client, db):
    response = client.get("/provenance/verify_article.py")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "def verify(" in body and "import django" not in body


def test_a_record_is_verified_once_and_tampering_after_is_still_caught(
    client, published_article, uncached
):
    """Each process keeps the records it found valid, by everything it checked."""
    from unittest import mock

    from byline.core import cachetags as cache_tags
    from byline.provenance import jws

    spy = mock.patch.object(jws, "verify", wraps=jws.verify)
    with spy as verify:
        for _ in range(3):
            html = client.get(published_article.url).content.decode()
            assert "signature checked by our server" in html
    assert verify.call_count == 1

    forge_signature(published_article)
    # A record forged behind the newsroom's back changes no tag: the mark is
    # checked again when the article's kept parts are next rendered (after any
    # change to it, at the latest PAGE_CACHE_SECONDS later), as a kept page is.
    cache_tags.bump([cache_tags.page(published_article.pk)])
    html = client.get(published_article.url).content.decode()
    assert "Signature could not be verified" in html
