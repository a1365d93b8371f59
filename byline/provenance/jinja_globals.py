"""Provenance's Jinja2 globals (byline/jinja.py collects them): an article's
signed records, and the structured data of its <head>."""

from jinja2 import pass_context
from markupsafe import Markup
from wagtail.models import Site

from byline.provenance.alert_views import AlertForm
from byline.provenance.models import CorrectionKind
from byline.provenance.showing import provenance_of
from byline.provenance.structured_data import article_data, json_ld, social_tags


def article_provenance(article, authors=None):
    """`article_provenance(page, authors)`: records, mark, notes."""
    return provenance_of(article, authors)


@pass_context
def article_head(context, article, provenance):
    """JSON-LD, OpenGraph and Twitter card tags for an article's <head>."""
    request = context["request"]
    chrome = context["chrome"]
    image_url = image_alt = ""
    if article.hero_image_id:
        rendition = article.hero_image.get_rendition("width-1440")
        image_url, image_alt = rendition.url, rendition.alt
    data = article_data(
        article,
        request,
        authors=context.get("authors", []),
        tags=context.get("article_tags", []),
        chrome=chrome,
        site=Site.find_for_request(request),
        image_url=image_url,
        notes=provenance.corrections,
    )
    social = social_tags(
        article,
        request,
        site_name=chrome.site_name,
        image_url=image_url,
        image_alt=image_alt,
    )
    return Markup(json_ld(data) + Markup("\n  ") + social)


def note_kind(kind):
    """A correction note's kind as readers see it ("Correction"), in the site's
    language; a kind this version does not know, as it was signed."""
    try:
        return CorrectionKind(kind).label
    except ValueError:
        return str(kind).capitalize()


GLOBALS = {
    "note_kind": note_kind,
    "article_provenance": article_provenance,
    "article_head": article_head,
    # Its limits for the fields drawn without a form (the article's trust box).
    "alert_form": AlertForm,
}
FILTERS = {}
