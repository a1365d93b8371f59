"""Fixtures for the attack tests: an article with everything a page links to,
and the shipped nginx configuration in front of a live server."""

from io import BytesIO
from urllib.parse import urlsplit

import pytest

from byline.security.tests import nginx


@pytest.fixture
def pictured_article(make_article):
    """A published article with a hero image, tags and an author: every
    absolute address an article page carries (canonical, og:image, JSON-LD)."""
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = BytesIO()
    Image.new("RGB", (640, 400), (40, 90, 140)).save(buffer, "JPEG")
    image = get_image_model()(title="Summit", description="Two leaders shake hands")
    image.file.save("summit.jpg", ImageFile(buffer, name="summit.jpg"))
    return make_article(
        "Putin and Xi meet in Beijing",
        tags=["Russia", "China"],
        hero_image=image,
        standfirst="A state visit with a message.",
    )


@pytest.fixture
def proxied_site(live_server, home, tmp_path, settings):
    """nginx (deploy/nginx-site.conf) in front of the live server; the site
    answers at nginx's address, and publishing purges nginx."""
    from wagtail.models import Site

    reason = nginx.missing()
    if reason:
        pytest.skip(reason)
    proxy = nginx.Nginx(
        tmp_path / "nginx", urlsplit(live_server.url).netloc, settings.STATIC_ROOT
    )
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://{proxy.host}",
        }
    }
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "127.0.0.1", proxy.port
    site.save()
    try:
        yield proxy
    finally:
        proxy.stop()
