"""Card links built from a row's url_path give the URLs Wagtail gives, and
pages keep Wagtail's own URL code (so moving a page still leaves a redirect)."""

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from byline.core.pageurls import row_links
from byline.news.models import ArticlePage


def test_card_links_match_wagtails_own(make_article, section, home, rf):
    ascii_article = make_article("Summit in Beijing")
    unicode_article = make_article("Café Zürich", slug="café-zürich")
    for request in (rf.get("/"), None):
        link = row_links(Page, request)
        for page in (home, section, ascii_article, unicode_article):
            assert link(page.pk, page.url_path) == page.get_url(request)
    assert unicode_article.url == "/world/caf%C3%A9-z%C3%BCrich/"


def test_a_page_outside_every_site_has_no_link(home, rf):
    from byline.news.models import HomePage

    root = Page.get_first_root_node()
    elsewhere = root.add_child(instance=HomePage(title="Elsewhere", slug="elsewhere"))
    assert not Site.objects.filter(root_page=elsewhere).exists()
    assert row_links(Page, rf.get("/"))(elsewhere.pk, elsewhere.url_path) is None
    assert elsewhere.url is None


def test_a_page_under_two_sites_is_linked_on_the_requests_site(section, home, rf):
    Site.objects.create(hostname="other.example", root_page=home, site_name="Other")
    for host in ("other.example", "localhost"):
        request = rf.get("/", HTTP_HOST=host)
        link = row_links(Page, request)
        assert link(section.pk, section.url_path) == section.get_url(request)


def test_pages_use_wagtails_own_url_code():
    """No page class overrides how Wagtail works out its URL."""
    from byline.core.models import StandardPage
    from byline.news.models import HomePage, SectionPage

    for model in (HomePage, SectionPage, ArticlePage, StandardPage):
        assert model.get_url_parts is Page.get_url_parts


def test_moving_a_page_leaves_a_redirect_from_its_old_address(
    make_article, section, other_section
):
    article = make_article("Moved to another section")
    old_path = article.url
    article.move(other_section, pos="last-child")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.url != old_path
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_path))
    assert redirect.redirect_page_id == article.pk
