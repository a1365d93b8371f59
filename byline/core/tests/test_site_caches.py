"""The cached site table and view restrictions follow changes as Wagtail would."""

from bs4 import BeautifulSoup
from wagtail.models import Page, PageViewRestriction, Site

from byline.core.sites import site_for


def test_site_lookup_prefers_exact_host_and_port_then_host_then_default(home):
    default = Site.objects.get(is_default_site=True)
    other_root = home.add_child(instance=Page(title="Other", slug="other"))
    by_port = Site.objects.create(hostname="news.test", port=8080, root_page=other_root)

    assert site_for("news.test", 8080) == by_port
    # Only one site for that host: any port reaches it.
    assert site_for("news.test", 80) == by_port
    # Unknown hosts fall back to the default site.
    assert site_for("elsewhere.test", 80) == default


def test_site_lookup_follows_a_new_default_site(client, home):
    assert client.get("/").status_code == 200  # caches the site table
    Site.objects.all().delete()
    assert site_for("127.0.0.1", 80) is None
    # With no site at all Wagtail answers 404, never a stale page.
    assert client.get("/").status_code == 404


def test_restricting_an_article_hides_it_from_listings_at_once(
    client, section, make_article
):
    hidden = make_article("A members-only scoop")
    make_article("An open story")
    assert b"members-only scoop" in client.get(section.url).content  # cached

    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.LOGIN
    )
    listing = client.get(section.url).content
    assert b"members-only scoop" not in listing
    assert b"An open story" in listing
    assert b"members-only scoop" not in client.get("/").content

    PageViewRestriction.objects.filter(page=hidden).delete()
    assert b"members-only scoop" in client.get(section.url).content


def test_a_restriction_on_a_section_is_enforced_on_its_articles_at_once(
    client, section, make_article
):
    article = make_article("Behind the wall")
    assert client.get(article.url).status_code == 200  # restrictions cached: none
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    response = client.get(article.url)
    assert response.status_code == 200
    assert b"Behind the wall" not in response.content
    assert b"password" in response.content.lower()

    PageViewRestriction.objects.all().delete()
    assert b"Behind the wall" in client.get(article.url).content


def test_an_alias_of_a_restricted_article_is_restricted_too(
    client, section, other_section, make_article
):
    source = make_article("Members' briefing")
    alias = source.create_alias(parent=other_section, update_slug="briefing-copy")
    PageViewRestriction.objects.create(
        page=source, restriction_type=PageViewRestriction.LOGIN
    )
    for page in (source, alias):
        response = client.get(page.url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_published_home_page_edit_is_served_at_once(client, home, make_article):
    pinned = make_article("An older story to lead with")
    make_article("The newest story")
    assert client.get("/").status_code == 200  # the site table, root page included
    home.top_story = pinned
    home.save_revision().publish()
    front = BeautifulSoup(client.get("/").content, "html.parser")
    top = front.find(id="top-story-heading").find_parent("section")
    assert "An older story to lead with" in top.get_text()
