"""Every page says what it is to search engines and social cards, and the site's
icons are where browsers look for them."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from byline.core.models import SiteSettings, StandardPage

TAGLINE = "Independent journalism you can check"


@pytest.fixture
def site_pages(home, section, other_section, published_article, author):
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.tagline = TAGLINE
    site_settings.save()
    other_section.intro = ""
    other_section.save_revision().publish()
    about = home.add_child(
        instance=StandardPage(
            title="About us",
            slug="about",
            intro="Who we are and how we work.",
            show_newsletter_signup=True,
        )
    )
    about.save_revision().publish()
    return [
        "/",
        section.url,
        other_section.url,
        published_article.url,
        author.get_absolute_url(),
        "/tags/russia/",
        about.url,
        "/corrections/log/",
        "/newsletter/",
    ]


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find(
        "meta", attrs={"name": key}
    )
    return tag["content"] if tag else None


def test_every_page_has_its_own_description_and_social_card(client, site_pages):
    """Home, sections, articles, authors, tags, standard pages, the corrections
    log and the newsletter page each carry OpenGraph and Twitter tags and a
    description of their own, never the site's tagline."""
    descriptions = {}
    for url in site_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        soup = BeautifulSoup(response.content, "html.parser")
        description = meta(soup, "description")
        for key in ("og:title", "og:description", "og:type", "og:site_name"):
            assert meta(soup, key), f"{url} has no {key}"
        assert meta(soup, "twitter:card") in ("summary", "summary_large_image"), url
        assert meta(soup, "og:description") and description, url
        assert description != TAGLINE, url
        descriptions[url] = description
    assert len(set(descriptions.values())) == len(site_pages), descriptions


def test_section_description_is_its_intro_or_names_it(client, section, other_section):
    """A section is described by its intro, or, without one, by its own name."""
    other_section.intro = ""
    other_section.save_revision().publish()
    for page, expected in ((section, "Foreign news"), (other_section, "Business")):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        assert expected in meta(soup, "description")
        assert meta(soup, "og:title") == page.title
        assert meta(soup, "og:url").endswith(page.url)


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/favicon.ico", "image/x-icon"),
        ("/apple-touch-icon.png", "image/png"),
        ("/apple-touch-icon-precomposed.png", "image/png"),
    ],
)
def test_icons_are_served_where_browsers_ask(client, db, path, content_type):
    """/favicon.ico and the apple-touch-icon answer with images, cacheable."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "max-age" in response["Cache-Control"]
    assert len(b"".join(response.streaming_content)) > 500


def test_icons_are_in_the_brand_colour(client, db):
    """The icons' background is the site's accent colour (#9b1c1c), as is the
    SVG icon's, and every page links the icon and the apple-touch-icon."""
    from io import BytesIO

    from django.contrib.staticfiles import finders
    from PIL import Image

    brand = (0x9B, 0x1C, 0x1C)
    for path in ("/favicon.ico", "/apple-touch-icon.png"):
        image = Image.open(BytesIO(b"".join(client.get(path).streaming_content)))
        corner = image.convert("RGB").getpixel((image.width // 8, image.height // 2))
        assert all(abs(a - b) <= 8 for a, b in zip(corner, brand, strict=True)), path
    svg = open(finders.find("img/favicon.svg")).read()
    assert 'fill="#9b1c1c"' in svg
    css = open(finders.find("css/site.css")).read()
    assert "--accent: #9b1c1c;" in css


def test_pages_link_their_icons(client, home):
    """The page head names the .ico, the SVG and the apple-touch-icon."""
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    rels = {
        (" ".join(link["rel"]), link["href"].split("/")[-1].split(".")[0])
        for link in soup.find_all("link", rel=True)
    }
    assert ("icon", "favicon") in rels
    assert ("apple-touch-icon", "apple-touch-icon") in rels


def test_a_page_with_the_signup_does_not_repeat_it_in_the_footer(client, site_pages):
    """About shows "Connect with us" and the newsletter form once, not again in
    the footer right below it; other pages keep them in the footer."""
    about = BeautifulSoup(client.get("/about/").content, "html.parser")
    headings = [h.get_text(strip=True) for h in about.find_all("h2")]
    assert headings.count("Connect with us") == 1
    assert len(about.select("form.newsletter-form")) == 1
    home = BeautifulSoup(client.get("/").content, "html.parser")
    assert home.select_one(".site-footer #footer-connect")
