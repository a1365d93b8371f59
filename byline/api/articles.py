"""What the read API serves: the public articles of the site a request is
addressed to, newest first, and the query parameters it accepts.

The viewset in `views.py` hands its requests here; what is refused is refused
with Wagtail's `BadRequestError`, which its API answers as a 400 with a reason.
"""

from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet
from wagtail.models import Site

from byline.core.params import MAX_ID, parse_id
from byline.news.public import public_articles

# Wagtail's operations, our three filters, and not its search or rich-text
# options (the public search has its own endpoint and index).
KNOWN_PARAMETERS = BaseAPIViewSet.known_query_parameters.union(
    ["section", "tag", "author"]
) - {"search", "search_operator", "rich_text_format"}


def site_articles(request):
    """The public articles under the root of the site answering `request`."""
    site = Site.find_for_request(request)
    if site is None:
        raise BadRequestError("no site answers at this address")
    return (
        public_articles()
        .filter(path__startswith=site.root_page.path)
        .select_related("section", "hero_image")
        .prefetch_related("article_authors__author", "tags")
        .order_by("-published_at", "-pk")
    )


def check_parameters(params):
    """Refuse a parameter that is not one of `KNOWN_PARAMETERS`.

    Wagtail also accepts any field name as a filter; here only the filters we
    document are, so a mistyped parameter is an error, not ignored.
    """
    unknown = set(params) - KNOWN_PARAMETERS
    if unknown:
        raise BadRequestError(
            "query parameter is not an operation or a recognised field: "
            + ", ".join(sorted(unknown))
        )


def check_path(params):
    """Refuse an `?html_path=` holding control characters: a NUL byte reached
    PostgreSQL through Wagtail's page routing, which refused it with a 500."""
    path = params.get("html_path", "")
    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        raise BadRequestError(
            "html_path must be a page's address (no control characters)"
        )


def check_id(params):
    """Refuse an `?id=` that is not a whole number the database can hold.

    Wagtail's find view passes it to the database as it came: text failed
    there with a 500 (security review, L11).
    """
    if "id" in params and parse_id(params["id"]) is None:
        raise BadRequestError("id must be a whole number from 1 to " + str(MAX_ID))
