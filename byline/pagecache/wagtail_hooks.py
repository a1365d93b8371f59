"""Declare what each served page shows, as Wagtail serves it.

Page models do not know about the page cache: this module tags every page
Wagtail's `serve` view serves, by type, with the tags its content is built
from. It uses Wagtail's `on_serve_page` hook, which wraps the call to
`page.serve()`, rather than `before_serve_page`: Wagtail checks view
restrictions in its own `on_serve_page` wrapper, after every
`before_serve_page` hook, and a page answered with a password form or a login
redirect must not be declared (as it was not when each page's own `serve()`
declared it). Registered last (`order`), this wrapper is the innermost one, so
it runs exactly where those `serve()` overrides ran.
"""

from wagtail import hooks

from byline.core import cachetags as cache_tags
from byline.core.cacheable import cache_listing, cache_page
from byline.core.models import StandardPage
from byline.news.models import ArticlePage, HomePage, SectionPage

# After every other on_serve_page hook (Wagtail's own use order 0), so the
# innermost wrapper around page.serve().
LAST = 1000


def declare_page_tags(page, request):
    """Tag the home page, sections, articles and standard pages for the cache."""
    if isinstance(page, HomePage):
        cache_page(
            request, cache_tags.SITE, cache_tags.page(page.pk), cache_tags.home_list()
        )
    elif isinstance(page, SectionPage):
        cache_listing(
            request, cache_tags.page(page.pk), cache_tags.section_list(page.pk)
        )
    elif isinstance(page, ArticlePage | StandardPage):
        # Related articles add their own tags as an article renders.
        cache_page(request, cache_tags.SITE, cache_tags.page(page.pk))


@hooks.register("on_serve_page", order=LAST)
def tag_served_pages(serve):
    def tagged(page, request, serve_args, serve_kwargs):
        declare_page_tags(page, request)
        return serve(page, request, serve_args, serve_kwargs)

    return tagged
