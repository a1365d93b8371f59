"""The Jinja2 filters give what Django's template filters give."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from byline.jinja import date


@pytest.mark.parametrize(
    "format_string", ["c", "j F Y", "j F Y, H:i T", "j F Y, H:i", "D j M"]
)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_date_matches_djangos_date_filter(format_string, language, zone):
    # 23:30 UTC is the next day in Berlin: the value is shown in the site's zone.
    value = datetime(2024, 3, 7, 23, 30, tzinfo=UTC)
    with translation.override(language), timezone.override(zone):
        django = Template("{{ value|date:f }}").render(
            Context({"value": value, "f": format_string})
        )
        assert date(value, format_string) == django


def test_date_of_nothing_is_empty():
    assert date(None, "j F Y") == ""


def test_templates_are_jinjas_own():
    """The environment renders with Jinja2's stock template class: no subclass
    re-implementing how a render builds its context."""
    import jinja2

    from byline.jinja import environment

    sources = {
        "base.html": "<title>{% block title %}{% endblock %}</title>"
        "{% block body %}{% endblock %}",
        "part.html": "<p>{{ who }} {{ static('a.css') }}</p>",
        "page.html": '{% extends "base.html" %}'
        "{% block title %}{{ title|capfirst }}{% endblock %}"
        '{% block body %}{% set who = "<b>" %}{% include "part.html" %}{% endblock %}',
    }
    env = environment(loader=jinja2.DictLoader(sources), autoescape=True)
    assert env.template_class is jinja2.Template
    html = env.get_template("page.html").render(title="héllo")
    assert "<title>Héllo</title>" in html and "&lt;b&gt;" in html


def test_richtext_expands_links_as_wagtails_filter_does(published_article):
    from wagtail.templatetags.wagtailcore_tags import richtext as wagtail_richtext

    from byline.jinja import richtext

    stored = (
        f'<p>See <a linktype="page" id="{published_article.pk}">the visit</a>'
        " &amp; more.</p><h2>Next</h2>"
    )
    assert str(richtext(stored)) == str(wagtail_richtext(stored))
    assert f'href="{published_article.url}"' in richtext(stored)
    assert richtext(None) == wagtail_richtext(None)
