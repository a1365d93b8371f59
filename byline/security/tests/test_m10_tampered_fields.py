"""M10: a page whose type of work, byline, methods… were changed behind the
newsroom's back (in the database, or on the way to the reader) is not verified.

Records sign everything the page shows as the article; the page marks each of
those elements; the server's mark and the standalone verifier compare them with
what the latest record signed (the browser's mark: e2e/test_attack_m10_*).
"""

from datetime import UTC, datetime
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

from byline.core import cachetags as cache_tags
from byline.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
from byline.provenance import jws
from byline.provenance.models import ProvenanceRecord
from byline.provenance.tests.conftest import append_record, server_mark, verify_served

pytestmark = pytest.mark.usefixtures("uncached")

SOURCES = [
    (
        "source",
        {
            "title": "The agreement",
            "publisher": "United Nations",
            "url": "https://example.org/deal?lang=en&part=2",
        },
    ),
    ("source", {"title": "Port traffic data", "publisher": "", "url": ""}),
]


def make_image():
    buffer = BytesIO()
    PILImage.new("RGB", (64, 40), (40, 90, 140)).save(buffer, "JPEG")
    image = get_image_model()(title="The port")
    image.file.save("port.jpg", ImageFile(buffer, name="port.jpg"))
    return image


@pytest.fixture
def verifier():
    from byline.provenance.tool import load_verifier

    return load_verifier()


@pytest.fixture
def full_article(make_article):
    """An article that shows every signed field: two lines of methods, sources,
    a dateline, a captioned picture, an update after publication."""
    return make_article(
        "Grain deal extended for a year",
        standfirst="Ships may keep sailing from three ports.",
        type_of_work="analysis",
        dateline="ISTANBUL",
        methods="We read the agreement.\nWe spoke to two negotiators.",
        sources=SOURCES,
        hero_image=make_image(),
        hero_caption="The port of Odesa at dawn",
        hero_credit="Photo: Ada Reporter",
        updated_at=datetime(2024, 6, 1, 12, tzinfo=UTC),
    )


def _update(article, **fields):
    ArticlePage.objects.filter(pk=article.pk).update(**fields)
    # A write behind the app's back changes no cache tag: the page, its kept
    # parts with it, shows the change (and its mark) once the article's tag
    # changes, as at its next publish or comment. Change it here.
    cache_tags.bump([cache_tags.page(article.pk)])


def _swap_byline(article):
    impostor = Author.objects.create(name="Someone Else", slug="someone-else")
    ArticleAuthor.objects.filter(page_id=article.pk).update(author=impostor)


# Each change an attacker with the database makes, and what the verifier says.
TAMPERS = {
    "type of work": (
        lambda a: _update(a, type_of_work="news"),
        "type of work on the page is not the signed one",
    ),
    "byline": (_swap_byline, "byline on the page is not the signed byline"),
    "methods": (
        lambda a: _update(a, methods="We were there."),
        "account of how it was reported on the page",
    ),
    "dateline": (lambda a: _update(a, dateline="MOSCOW"), "dateline on the page"),
    "source link": (
        lambda a: _update(
            a,
            sources=[
                {"type": "source", "value": {**SOURCES[0][1], "url": "https://evil"}},
                {"type": "source", "value": SOURCES[1][1]},
            ],
        ),
        "sources on the page are not the signed sources",
    ),
    "caption": (
        lambda a: _update(a, hero_caption="Another port"),
        "picture caption on the page",
    ),
    "section": (
        lambda a: SectionPage.objects.filter(pk=a.section_id).update(title="Opinion"),
        "section on the page is not the signed section",
    ),
    "dates": (
        lambda a: _update(a, published_at=datetime(2020, 1, 1, tzinfo=UTC)),
        "publication time on the page",
    ),
    "text": (
        lambda a: _update(a, body="<p>Other words.</p>"),
        "the text on the page differs from the signed text",
    ),
}


def test_an_article_showing_every_signed_field_verifies_everywhere(
    client, full_article, verifier
):
    """No false alarm: sources with query strings, an update, a caption."""
    valid, text = server_mark(client, full_article)
    assert valid, text
    verdict = verify_served(verifier, client, full_article)
    assert verdict.verified, verdict.report()
    assert "dateline, methods, sources and captions" in verdict.report()


@pytest.mark.parametrize("tamper", TAMPERS)
def test_a_database_tamper_loses_the_server_mark(client, full_article, tamper):
    """The server's mark compares the stored article with what was signed."""
    TAMPERS[tamper][0](full_article)
    valid, text = server_mark(client, full_article)
    assert not valid
    assert "Not verified: this page differs from what we signed" in text


@pytest.mark.parametrize("tamper", TAMPERS)
def test_a_database_tamper_fails_the_standalone_verifier(
    client, full_article, verifier, tamper
):
    """The page served after the tamper shows what no record signed."""
    change, reason = TAMPERS[tamper]
    change(full_article)
    verdict = verify_served(verifier, client, full_article)
    assert not verdict.verified
    assert any(reason in problem for problem in verdict.problems), verdict.report()


@pytest.mark.parametrize(
    "before, after, reason",
    [
        (">Analysis</span>", ">News</span>", "type of work label"),
        ("<br>We spoke to two negotiators.", "<br>We spoke to nobody.", "reported"),
        ('part=2" rel', 'part=3" rel', "sources"),
        (">Ada Reporter</a>", ">Ada Reporter</a> <a data-provenance=author>X</a>",
         "byline"),
        ('="dateline">ISTANBUL<', '="dateline">KYIV<', "dateline"),
        ("Photo: Ada Reporter", "Photo: agency", "picture credit"),
        ('data-provenance="updated_at"', 'data-x="y"', "update time"),
    ],
    ids=["label", "methods", "source", "author", "dateline", "credit", "update"],
)  # fmt: skip
def test_a_page_changed_on_the_way_fails_the_standalone_verifier(
    client, full_article, verifier, before, after, reason
):
    """A proxy that rewrites what the page shows, not the database."""
    html = client.get(full_article.url).content.decode()
    assert before in html
    verdict = verify_served(
        verifier, client, full_article, html.replace(before, after, 1)
    )
    assert not verdict.verified
    assert any(reason in problem for problem in verdict.problems), verdict.report()


def test_records_signed_before_versions_verify_on_what_they_signed(
    client, full_article, verifier
):
    """A version 1 record (alg EdDSA, no methods or sources) still verifies, is
    compared on its type of work and byline, and not on fields it never signed."""
    old = append_record(full_article, version=1, alg="EdDSA")
    assert "v" not in old.payload and "methods" not in old.payload
    assert jws.parts(old.jws)[0]["alg"] == "EdDSA"
    assert server_mark(client, full_article)[0]
    assert verify_served(verifier, client, full_article).verified
    _update(full_article, methods="Not what was signed, but never signed either.")
    assert server_mark(client, full_article)[0]
    assert verify_served(verifier, client, full_article).verified
    _update(full_article, type_of_work="opinion")
    assert not server_mark(client, full_article)[0]
    assert not verify_served(verifier, client, full_article).verified


def test_new_records_name_the_fully_specified_algorithm(full_article):
    """RFC 9864: new records say Ed25519; verifiers accept EdDSA as well."""
    record = ProvenanceRecord.objects.get(page_id=full_article.pk)
    assert jws.parts(record.jws)[0]["alg"] == "Ed25519"
    assert record.payload["v"] == 2
    assert record.payload["methods"] == full_article.methods
    assert record.payload["sources"][0]["url"].endswith("lang=en&part=2")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_names_the_tampered_fields_of_a_live_page(
    live_server, full_article, capsys
):
    """`manage.py verify_article` (tools/verify_article.py) over HTTP."""
    url = live_server.url + full_article.url
    call_command("verify_article", url)
    assert "VERIFIED" in capsys.readouterr().out
    _update(full_article, type_of_work="news", methods="We were there.")
    _swap_byline(full_article)
    with pytest.raises(CommandError):
        call_command("verify_article", url)
    out = capsys.readouterr().out
    assert "the type of work on the page is not the signed one" in out
    assert "the byline on the page is not the signed byline" in out
    assert "account of how it was reported on the page" in out
