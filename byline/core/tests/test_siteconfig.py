"""Site-wide values are kept per process and dropped when any process forgets one."""

import uuid

from bs4 import BeautifulSoup
from django.core.cache import cache
from wagtail.models import Site

from byline.core import siteconfig
from byline.core.chrome import invalidate_chrome
from byline.core.sites import forget_sites


def site_name_shown(client):
    header = BeautifulSoup(client.get("/").content, "html.parser")
    return header.select_one("a.brand-name").get_text()


def test_a_request_uses_the_processs_copy_until_the_generation_changes(
    client, published_article, uncached
):
    client.get("/")  # the first view creates the site's settings rows
    Site.objects.update(site_name="Before")
    forget_sites(), invalidate_chrome()  # as saving the site does
    assert site_name_shown(client) == "Before"

    # Another process changes the site without telling this one's memory:
    # the shared copy is gone, yet this process keeps showing its own.
    Site.objects.update(site_name="After")
    cache.clear()
    cache.set(siteconfig.GENERATION_KEY, siteconfig.local_generation(), None)
    assert site_name_shown(client) == "Before"

    # Its forget() replaces the generation: the next request reads afresh.
    cache.set(siteconfig.GENERATION_KEY, uuid.uuid4().hex, None)
    assert site_name_shown(client) == "After"


def test_outside_a_request_the_shared_cache_answers(db):
    built = []
    assert (
        siteconfig.get("byline:test:value", lambda: built.append(1) or "one") == "one"
    )
    cache.set("byline:test:value", "two")
    assert siteconfig.get("byline:test:value", lambda: "three") == "two"
    assert built == [1]


def test_saving_a_setting_shows_at_once_in_this_process(
    client, published_article, uncached
):
    from byline.core.models import SiteSettings

    site = Site.objects.get(is_default_site=True)
    assert "Pitch changed" not in client.get("/").content.decode()
    settings = SiteSettings.for_site(site)
    settings.tagline = "Pitch changed"
    settings.save()
    assert "Pitch changed" in client.get("/").content.decode()


def test_a_value_read_before_a_change_is_not_kept_after_it(db):
    """Threads of one worker share its copies: a value one request read before
    another process's change is not kept once another thread's request has
    moved the worker on to the new generation."""
    key = "byline:test:racy"

    def read_while_changed():
        siteconfig.forget(key)  # another process changes the value...
        siteconfig.SiteConfigMiddleware(lambda request: None)(None)  # ...a thread
        return "old"

    def request(read):
        return siteconfig.SiteConfigMiddleware(read)(None)

    request(lambda r: siteconfig.get("byline:test:other", lambda: 1))
    assert request(lambda r: siteconfig.get(key, read_while_changed)) == "old"
    cache.delete(key)  # the shared copy expires; the process's must be gone too
    assert request(lambda r: siteconfig.get(key, lambda: "new")) == "new"
