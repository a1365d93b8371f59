"""Slugs keep every letter and mark of their script (core/slugs.py): made by
the importers and the site set-up, accepted by the models, the admin's forms
and the URL routes, and Latin slugs as Django made them."""

import json
import unicodedata
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify as django_slugify
from taggit.models import Tag
from wagtail.models import Page

from byline.core.slugs import SlugFormField, free_slug, numbered_stem, slugify
from byline.importers.jsonl import import_jsonl
from byline.importers.section_slots import MAX_SLUG, SectionSlot
from byline.news.models import ArticlePage, Author, SectionPage

# Real headlines: Hindi (vowel signs and a virama), Bengali, Tamil and Thai.
INDIC = {
    "hindi": ("नमस्ते दुनिया: दिल्ली में बारिश", "नमस्ते-दुनिया-दिल्ली-में-बारिश"),
    "bengali": ("কলকাতায় বৃষ্টি, জনজীবন ব্যাহত", "কলকাতায়-বৃষ্টি-জনজীবন-ব্যাহত"),
    "tamil": ("சென்னையில் கனமழை!", "சென்னையில்-கனமழை"),
    # NFKC writes Thai's SARA AM (U+0E33) as its two parts, as Django does.
    "thai": ("กรุงเทพฯ น้ำท่วม", "กรุงเทพฯ-น\u0e49\u0e4d\u0e32ท\u0e48วม"),
}
UNMARKED = [
    "Hello, World!",
    "  Putin and Xi meet in Beijing  ",
    "L’école d’été à Paris — 2024",
    "Москва: новости дня",
    "北京 举办 国际会议",
    "ΟΔΟΣ ΣΤΑΔΙΟΥ",
    "under_score -- and--dashes__",
    "Tab\tand\u00a0no-break\u3000space",
    "ﬁnds ① ²",
    # Arabic's short vowels are optional in writing: left out, as before.
    "مَعرض الكتاب يفتح أبوابه",
]


def _letters_and_marks(text):
    text = unicodedata.normalize("NFKC", text).lower()
    return [c for c in text if unicodedata.category(c)[0] in "LMN"]


@pytest.mark.parametrize("script", INDIC)
def test_indic_headlines_keep_every_letter_and_mark(script):
    """Django's slugify made "नमसत-दनय" of "नमस्ते दुनिया": marks are not \\w."""
    headline, expected = INDIC[script]
    slug = slugify(headline)
    assert slug == expected
    assert [c for c in slug if c != "-"] == _letters_and_marks(headline)


@pytest.mark.parametrize("text", UNMARKED)
def test_text_without_marks_slugs_as_django_slugifies_it(text):
    assert slugify(text) == django_slugify(text, allow_unicode=True)


def test_a_mark_that_lowercasing_adds_is_kept():
    """Lowercase "İ" is "i" and a combining dot (Python and JavaScript alike):
    a mark, kept like the others, where Django's slugify dropped it."""
    assert slugify("İstanbul") == "i\u0307stanbul"


@pytest.mark.parametrize("script", INDIC)
def test_models_and_admin_forms_accept_slugs_with_marks(script):
    """Wagtail's page slug, taggit's and our authors' take them; Django's
    validate_unicode_slug refused them."""
    slug = INDIC[script][1]
    for model in (Page, Tag, Author):
        model._meta.get_field("slug").run_validators(slug)
    assert SlugFormField(max_length=255).clean(slug) == slug


@pytest.mark.parametrize("bad", ["a b", "a/b", "a?b", "a%2Fb", "नमस्ते!"])
def test_a_slug_with_punctuation_is_still_refused(bad):
    with pytest.raises(ValidationError):
        Page._meta.get_field("slug").run_validators(bad)
    with pytest.raises(ValidationError):
        SlugFormField(max_length=255).clean(bad)


@pytest.mark.django_db
@pytest.mark.parametrize("script", INDIC)
def test_an_article_with_an_indic_headline_is_served_at_its_slug(
    script, section, make_article, client
):
    """At its address as written and percent-encoded, as a browser sends it."""
    headline, slug = INDIC[script]
    article = make_article(headline, slug=slugify(headline))
    assert article.slug == slug
    path = f"{section.url}{slug}/"
    assert article.url == quote(path)  # Wagtail reverses it through our route
    for requested in (path, quote(path)):
        response = client.get(requested)
        assert response.status_code == 200, requested
        assert headline in response.content.decode()


@pytest.mark.django_db
def test_a_page_given_no_slug_takes_its_title_with_its_marks(section):
    """Wagtail fills an empty slug from the title with Django's slugify."""
    headline, slug = INDIC["hindi"]
    page = section.add_child(instance=ArticlePage(title=headline, live=False))
    assert page.slug == slug


@pytest.mark.django_db
def test_a_long_title_given_twice_takes_a_numbered_slug_that_still_fits(section):
    """A 255-character headline's second page was numbered past the slug's
    255 characters: stored so by SQLite, refused by PostgreSQL's varchar."""
    headline = ("Cabinet reshuffle " * 15)[:255]
    assert len(headline) == 255
    first = section.add_child(instance=ArticlePage(title=headline, live=False))
    second = section.add_child(instance=ArticlePage(title=headline, live=False))
    assert len(first.slug) == 255
    assert second.slug == first.slug[:253] + "-2"
    second.clean_fields(exclude={"standfirst", "body"})


@pytest.mark.django_db
def test_a_numbered_slug_cut_to_fit_is_not_given_twice(section):
    """NFKC writes "ﬁ" as two letters, so these headlines' slugs pass 255
    characters and meet where they are cut. The second is numbered after
    what fits; "-2" is already another page's, found by the one look-up."""
    first = _draft(section, "ﬁ" * 128 + "a")
    other = _draft(section, "ﬁ" * 126 + "f-2")
    second = _draft(section, "ﬁ" * 128 + "b")
    assert first.slug == "fi" * 127 + "f"
    assert other.slug == "fi" * 126 + "f-2"
    assert second.slug == "fi" * 126 + "f-3"


def _draft(section, title):
    return section.add_child(instance=ArticlePage(title=title, live=False))


@pytest.mark.parametrize("n", [2, 10, 99_999, 12_345_678_901])
def test_every_numbered_slug_fits_and_begins_with_its_stem(n):
    base = "x" * 300
    slug, after = free_slug(base, {base[:80]}, 80, n)
    assert len(slug) <= 80
    assert slug.endswith(f"-{n}") and after == n + 1
    if n < 10**10:
        assert slug.startswith(numbered_stem(base, 80))


def test_free_slug_counts_on_from_the_number_it_is_given():
    taken = {"letters", "letters-2", "letters-3"}
    assert free_slug("letters", taken, 80) == ("letters-4", 5)
    assert free_slug("letters", taken, 80, 7) == ("letters-7", 8)
    assert free_slug("letters-x", taken, 80) == ("letters-x", 2)


@pytest.mark.django_db
@pytest.mark.parametrize("script", INDIC)
def test_tags_keep_their_marks_and_their_route_serves_them(
    script, make_article, client
):
    headline, slug = INDIC[script]
    make_article(tags=[headline])
    tag = Tag.objects.get(name=headline)
    assert tag.slug == slug
    url = reverse("tag", args=[tag.slug])
    assert url == quote(f"/tags/{slug}/")
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_second_tag_slugged_alike_keeps_its_marks_too(make_article):
    headline, slug = INDIC["hindi"]
    first = Tag.objects.create(name=headline)
    second = Tag.objects.create(name=headline + "!")
    assert (first.slug, second.slug) == (slug, f"{slug}_1")


@pytest.mark.django_db
def test_the_jsonl_importer_keeps_marks_in_every_slug(tmp_path, client):
    headline, slug = INDIC["hindi"]
    record = {
        "id": "hi-1", "title": headline, "body": "पहला अनुच्छेद।",
        "category": "भारत समाचार", "published": "2024-03-01T08:00:00+00:00",
        "author": "सुनीता शर्मा", "tags": ["मौसम विज्ञान"],
    }  # fmt: skip
    path = tmp_path / "hi.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    import_jsonl(path)
    article = ArticlePage.objects.get(source_id="hi-1")
    assert article.slug == slug
    assert SectionPage.objects.get(pk=article.section_id).slug == "भारत-समाचार"
    assert Author.objects.get(name="सुनीता शर्मा").slug == "सुनीता-शर्मा"
    assert Tag.objects.get(name="मौसम विज्ञान").slug == "मौसम-विज्ञान"
    assert client.get(article.url).status_code == 200


HINDI_ITEM = """<item>
<title>{title}</title>
<dc:creator><![CDATA[maria]]></dc:creator>
<content:encoded><![CDATA[<p>पहला अनुच्छेद।</p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>99</wp:post_id>
<wp:post_date_gmt>2024-06-04 08:00:00</wp:post_date_gmt>
<wp:post_name><![CDATA[{post_name}]]></wp:post_name>
<wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type>
<wp:post_password></wp:post_password>
<category domain="category" nicename="{section}"><![CDATA[भारत समाचार]]></category>
<category domain="post_tag" nicename="{tag}"><![CDATA[मौसम विज्ञान]]></category>
</item>
</channel>"""


@pytest.mark.django_db
def test_the_wordpress_importer_keeps_marks_in_every_slug(tmp_path, client):
    """WordPress keeps the marks in the slugs it percent-encodes; the
    importer's slugify took them out again."""
    from pathlib import Path

    from byline.importers.wordpress import import_wordpress

    headline, slug = INDIC["hindi"]
    world = Path(__file__).parents[2] / "importers/tests/data/world.wxr.xml"
    item = HINDI_ITEM.format(
        title=headline,
        post_name=quote(slug).lower(),
        section=quote("भारत-समाचार").lower(),
        tag=quote("मौसम-विज्ञान").lower(),
    )
    path = tmp_path / "hindi.wxr.xml"
    path.write_text(
        world.read_text(encoding="utf-8").replace("</channel>", item),
        encoding="utf-8",
    )
    report = import_wordpress(path)
    assert report.created["articles"] == 4, report.problems
    article = ArticlePage.objects.get(title=headline)
    assert article.slug == slug
    assert article.get_parent().slug == "भारत-समाचार"
    assert Tag.objects.get(name="मौसम विज्ञान").slug == "मौसम-विज्ञान"
    assert client.get(article.url).status_code == 200


@pytest.mark.parametrize(
    "base",
    [
        "fi" * 126 + "-bcd",
        "fi" * 127 + "-b",
        "fi" * 126 + "xक्ष",
        "fi" * 126 + "xyकि",
        "a" * 243 + "-_-b" * 5,
    ],
)
def test_a_cut_slug_ends_on_a_whole_letter_and_not_on_a_hyphen(base):
    for n in (None, 2, 10, 10**9):
        taken = set() if n is None else {free_slug(base, set(), 255)[0]}
        slug, _ = free_slug(base, taken, 255, n or 2)
        assert len(slug) <= 255 and slug.startswith(numbered_stem(base, 255))
        stem = slug if n is None else slug[: -len(f"-{n}")]
        assert stem == slugify(stem) and "--" not in slug
        assert unicodedata.category((base + "x")[len(stem)])[0] != "M"
        assert unicodedata.combining(stem[-1]) != 9


@pytest.mark.django_db
def test_the_jsonl_import_cuts_a_long_headline_on_a_whole_letter(section):
    """The import cut its slugs at 80 characters wherever that fell: here
    between the 80th letter and its vowel sign."""
    slot = SectionSlot(section)
    slug = slot.take_slug("क" * 79 + "कि", "id-1")
    assert slug == "क" * 79
    assert len(slot.take_slug("क" * 79 + "कि", "id-2")) <= MAX_SLUG
