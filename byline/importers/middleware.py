"""WordPress's query-string addresses (`/?p=123`, `/?page_id=7`) keep working.

Wagtail's redirect middleware only looks for a redirect when a page is not
found, and `/` is always found (the home page): these addresses are checked
here, before the home page answers.
"""

from django.http import HttpResponsePermanentRedirect
from wagtail.contrib.redirects.models import Redirect

QUERY_KEYS = ("p", "page_id")


class WordPressAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.method in ("GET", "HEAD"):
            for key in QUERY_KEYS:
                value = request.GET.get(key, "")
                if value.isdigit():
                    redirect = (
                        Redirect.objects.filter(
                            old_path=Redirect.normalise_path(f"/?{key}={value}")
                        )
                        .select_related("redirect_page")
                        .first()
                    )
                    if redirect is not None and redirect.link:
                        return HttpResponsePermanentRedirect(redirect.link)
        return self.get_response(request)
