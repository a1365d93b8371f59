"""Page links built without reversing a route give the URLs Wagtail gives."""

from wagtail.models import Page, Site

from byline.core.pageurls import FastPageUrls


def wagtails(page, request=None):
    return super(FastPageUrls, page).get_url_parts(request)


def test_page_urls_match_wagtails_own(make_article, section, home, rf):
    ascii_article = make_article("Summit in Beijing")
    unicode_article = make_article("Café Zürich", slug="café-zürich")
    request = rf.get("/")
    for page in (home, section, ascii_article, unicode_article):
        assert page.get_url_parts(request) == wagtails(page, request)
        assert page.get_url_parts() == wagtails(page)
    assert unicode_article.url == "/world/caf%C3%A9-z%C3%BCrich/"


def test_a_page_outside_every_site_has_no_url(home):
    from byline.news.models import HomePage

    root = Page.get_first_root_node()
    elsewhere = root.add_child(instance=HomePage(title="Elsewhere", slug="elsewhere"))
    assert not Site.objects.filter(root_page=elsewhere).exists()
    assert elsewhere.get_url_parts() is None is wagtails(elsewhere)
    assert elsewhere.url is None


def test_a_page_under_two_sites_is_linked_on_the_requests_site(section, home, rf):
    Site.objects.create(hostname="other.example", root_page=home, site_name="Other")
    for host in ("other.example", "localhost"):
        request = rf.get("/", HTTP_HOST=host)
        assert section.get_url_parts(request) == wagtails(section, request)
