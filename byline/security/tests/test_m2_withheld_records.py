"""M2: private and password-protected articles never show in the public proof.

The WordPress importer restricts a post before it publishes it (in one
transaction), so restricted posts are never signed; the log withholds the
payload of every record whose article is not public (restricted, withdrawn,
deleted) and shows its hash instead, so verifiers still follow the chain.
"""

import pytest
from wagtail.models import PageViewRestriction

from byline.importers.tests.test_wordpress import SMALL
from byline.importers.wordpress import import_wordpress
from byline.news.models import ArticlePage
from byline.provenance.models import ProvenanceRecord
from byline.provenance.tests.conftest import verify_served

SECRET_HEADLINES = ["Staff notes", "Ferry timetable changes in May"]


@pytest.fixture
def verifier():
    from byline.provenance.tool import load_verifier

    return load_verifier()


@pytest.fixture
def two_articles(make_article, other_section):
    """The first is signed just before the second, so the second chains to it."""
    first = make_article(
        "Minister resigns over leaked memo", standfirst="Secret.", parent=other_section
    )
    second = make_article("Harbour reopens after storm")
    return first, second


def restrict(page, kind=PageViewRestriction.LOGIN):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password="sesame"
    )


def public_text(client, article):
    """Everything the public proof and corrections pages say, as one string."""
    return "".join(
        client.get(address).content.decode()
        for address in [
            "/provenance/log.json",
            "/provenance/log.json?from=1&limit=500",
            "/corrections/log/",
            "/corrections/log/feed/",
            article.url + "provenance.json",
            article.url + "provenance/",
        ]
    )


def test_private_and_password_protected_wordpress_posts_are_never_signed(
    db, tmp_path, client
):
    """The importer restricts before it publishes: nothing reaches the log."""
    export = tmp_path / "export.xml"
    export.write_text(
        SMALL.read_text().replace(
            "<wp:post_password></wp:post_password>",
            "<wp:post_password>harbour</wp:post_password>",
        )
    )
    import_wordpress(export)
    for source_id in ("wp:gazette.example.org:12", "wp:gazette.example.org:10"):
        article = ArticlePage.objects.get(source_id=source_id)
        assert article.live and article.get_view_restrictions().exists()
        assert not ProvenanceRecord.objects.filter(page_id=article.pk).exists()
        text = public_text(client, article)
        for headline in SECRET_HEADLINES:
            assert headline not in text


@pytest.mark.parametrize(
    "hide",
    [
        lambda a: restrict(a),
        lambda a: restrict(a, PageViewRestriction.PASSWORD),
        lambda a: restrict(a.get_parent()),
        lambda a: a.unpublish(),
        lambda a: a.delete(),
    ],
    ids=["login", "password", "section restricted", "withdrawn", "deleted"],
)
def test_records_of_an_article_that_is_not_public_are_withheld(
    client, two_articles, hide
):
    """The log keeps their place and hash, and nothing of the article."""
    first, second = two_articles
    [record] = ProvenanceRecord.objects.filter(page_id=first.pk)
    hide(first)
    text = public_text(client, first)
    assert "Minister resigns" not in text and "Secret." not in text
    assert client.get(first.url + "provenance.json").status_code == 404
    entries = client.get("/provenance/log.json").json()["records"]
    by_seq = {entry["seq"]: entry for entry in entries}
    assert by_seq[record.seq] == {
        "seq": record.seq,
        "hash": record.token_hash,
        "withheld": True,
    }
    # The other article is untouched and still names its predecessor's hash.
    second_entry = by_seq[record.seq + 1]
    assert second_entry["payload"]["headline"] == second.title
    assert second_entry["payload"]["prev"] == record.token_hash


def test_a_record_shows_again_when_its_article_is_public_again(client, two_articles):
    """Withholding is decided when the log is read, never by editing records."""
    first, _ = two_articles
    restriction = restrict(first)
    assert first.title not in client.get("/provenance/log.json").content.decode()
    restriction.delete()
    log = client.get("/provenance/log.json").json()
    assert log["records"][0]["payload"]["headline"] == first.title
    assert client.get(first.url + "provenance.json").status_code == 200


def test_the_corrections_log_leaves_out_articles_that_are_not_public(
    client, published_article
):
    """A correction note names its article: it goes when the article does."""
    published_article.correction_notes = [
        published_article.correction_notes.model(kind="correction", note="Fixed.")
    ]
    published_article.save_revision().publish()
    assert published_article.title in client.get("/corrections/log/").content.decode()
    restrict(published_article)
    for address in ("/corrections/log/", "/corrections/log/feed/"):
        body = client.get(address).content.decode()
        assert published_article.title not in body and "Fixed." not in body


def test_the_verifier_follows_the_chain_through_a_withheld_record(
    client, two_articles, verifier
):
    """The next article verifies with only the withheld record's hash."""
    first, second = two_articles
    restrict(first)
    verdict = verify_served(verifier, client, second)
    assert verdict.verified, verdict.report()
    assert "withheld" in verdict.report()


def test_a_wrong_hash_for_a_withheld_record_breaks_the_chain(
    client, two_articles, verifier
):
    """Withholding cannot hide a replaced record: the next record's `prev`
    still names the hash it was signed after."""
    first, second = two_articles
    restrict(first)
    log = client.get("/provenance/log.json?from=1&limit=500").json()
    for entry in log["records"]:
        if entry.get("withheld"):
            entry["hash"] = "0" * 64
    verdict = verifier.verify(
        "http://testserver" + second.url,
        client.get(second.url).content.decode(),
        client.get(second.url + "provenance.json").json(),
        client.get("/.well-known/jwks.json").json(),
        lambda start, limit: {
            **log,
            "records": [r for r in log["records"] if start <= r["seq"] < start + limit],
        },
    )
    assert any("log is broken" in problem for problem in verdict.problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_verifies_an_article_after_a_private_one_on_a_live_server(
    live_server, two_articles
):
    """tools/verify_article.py over HTTP, as a reader runs it."""
    import subprocess
    import sys

    from byline.provenance.tool import TOOL_PATH

    first, second = two_articles
    restrict(first)
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL_PATH), live_server.url + second.url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "withheld" in result.stdout
