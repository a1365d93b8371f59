"""Trust indicators as data: JSON-LD, OpenGraph and Twitter cards on every article."""

import extruct
import pytest

PUBLISHER_POLICIES = [
    "publishingPrinciples", "correctionsPolicy", "ethicsPolicy", "diversityPolicy",
    "actionableFeedbackPolicy", "ownershipFundingInfo", "masthead",
    "verificationFactCheckingPolicy", "unnamedSourcesPolicy",
]  # fmt: skip


@pytest.fixture
def standards(home):
    """Every standards page exists and is set in the site settings."""
    from wagtail.models import Site

    from byline.core.models import POLICY_FIELDS, SiteSettings, StandardPage

    site_settings = SiteSettings.for_site(Site.objects.get(root_page=home))
    for field in POLICY_FIELDS:
        page = StandardPage(
            title=field.replace("_", " ").title(), slug=field.replace("_", "-")
        )
        home.add_child(instance=page)
        setattr(site_settings, field, page)
    site_settings.save()
    return site_settings


@pytest.fixture
def reported_article(make_article, author, standards):
    author.expertise = "China, Russia"
    author.save()
    article = make_article(
        "Putin and Xi meet in Beijing",
        type_of_work="analysis",
        dateline="BEIJING",
        methods="We read the joint statement & interviewed three analysts.",
        sources=[
            (
                "source",
                {
                    "title": "Joint statement",
                    "publisher": "MFA",
                    "url": "https://example.org/s",
                },
            )
        ],
    )
    article.body = "<p>Corrected.</p>"
    article.correction_notes = [
        article.correction_notes.model(kind="correction", note="Dates fixed.")
    ]
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def structured(client, article):
    html = client.get(article.url).content.decode()
    return html, extruct.extract(html, syntaxes=["json-ld", "opengraph"], uniform=True)


def test_json_ld_describes_the_article_with_the_trust_indicators(
    client, reported_article
):
    _, data = structured(client, reported_article)
    [article] = data["json-ld"]
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "AnalysisNewsArticle"
    assert article["headline"] == "Putin and Xi meet in Beijing"
    assert article["description"] == reported_article.standfirst
    assert article["datePublished"].startswith("2024-05-01")
    assert article["dateModified"]
    [author] = article["author"]
    assert author["name"] == "Ada Reporter" and author["url"].endswith(
        "/authors/ada-reporter/"
    )
    assert author["knowsAbout"] == ["China", "Russia"]
    publisher = article["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    for policy in PUBLISHER_POLICIES:
        assert publisher[policy].startswith("http"), policy
    assert article["citation"][0]["name"] == "Joint statement"
    assert article["backstory"].startswith("We read the joint statement & interviewed")
    assert article["contentLocation"] == {"@type": "Place", "name": "BEIJING"}
    assert article["correction"][0]["text"] == "Dates fixed."


@pytest.mark.parametrize(
    "kind, schema_type",
    [
        ("news", "NewsArticle"),
        ("opinion", "OpinionNewsArticle"),
        ("explainer", "BackgroundNewsArticle"),
        ("sponsored", "AdvertiserContentArticle"),
    ],
)
def test_the_type_of_work_picks_the_schema_type(
    client, make_article, kind, schema_type
):
    article = make_article(type_of_work=kind)
    _, data = structured(client, article)
    assert data["json-ld"][0]["@type"] == schema_type


def test_a_headline_cannot_break_out_of_the_json_ld_script(client, make_article):
    article = make_article("</script><script>alert(1)</script>")
    html, data = structured(client, article)
    assert "<script>alert(1)" not in html
    assert data["json-ld"][0]["headline"] == "</script><script>alert(1)</script>"


def test_opengraph_and_twitter_cards(client, reported_article):
    html, data = structured(client, reported_article)
    [og] = data["opengraph"]
    assert og["@type"] == "article"  # extruct lifts og:type to @type
    assert og["og:title"] == "Putin and Xi meet in Beijing"
    assert og["og:url"] == reported_article.get_full_url()
    assert '<meta name="twitter:card" content="summary">' in html


def test_the_trust_box_shows_the_indicators_to_readers(client, reported_article):
    html = client.get(reported_article.url).content.decode()
    assert "About this article" in html
    assert "How we reported this" in html and "interviewed three analysts" in html
    assert "Where we reported" in html
    assert "Tell us and ask for a correction" in html
    assert "Ethics Page" in html and "Unnamed Sources Page" in html
    assert "Dates fixed." in html
