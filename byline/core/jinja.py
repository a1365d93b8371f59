"""The Jinja2 environment for the fragments every listing repeats.

Cards (home page, sections, tags, authors, "You may also like") are the one
markup a page renders dozens of times; Django's template engine spent about
0.25 ms on each, Jinja2's compiled templates a fraction of that. Pages keep
their Django templates and render card lists through `byline.news.cards`.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat
from django.utils.timezone import template_localtime
from jinja2 import Environment


def date(value, format_string):
    """Django's `date` filter: the value in the site's time zone, Django's
    format characters (month names translated)."""
    if not value:
        return ""
    value = template_localtime(value)
    if format_string == "c":
        return value.isoformat()  # what Django's "c" gives, without its parser
    return dateformat.format(value, format_string)


def pluralize(count, suffix="s"):
    return "" if count == 1 else suffix


def environment(**options):
    env = Environment(
        extensions=[
            "wagtail.jinja2tags.core",
            "wagtail.images.jinja2tags.images",
        ],
        **options,
    )
    env.globals.update(static=static, url=reverse)
    env.filters.update(date=date, pluralize=pluralize)
    return env
