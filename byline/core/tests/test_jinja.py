"""The Jinja2 filters give what Django's template filters give."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from byline.core.jinja import date


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
