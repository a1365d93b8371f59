"""Django's date formats that every listing and article shows, without its parser.

Django's `date` filter parses its format string and looks up translations for
each value: a tenth of a home page's time. These give the same text for the
formats our templates use (tested against Django's filter in two languages and
time zones); any other format goes to Django.
"""

from functools import lru_cache

from django.conf import settings
from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS


@lru_cache(maxsize=16)
def _month_names(language):
    # Called with the active language: the names come out translated into it.
    return {number: str(name) for number, name in MONTHS.items()}


def month_names():
    """Month names (Django's "F") in the active language."""
    return _month_names(translation.get_language())


def format_local(value, format_string, months=None):
    """`value` (already in the zone to show) in one of Django's date formats;
    `months`: `month_names()`, for callers formatting many dates at once."""
    if format_string == "c":
        return value.isoformat()
    if format_string.startswith("j F Y"):
        day = f"{value.day} {(months or month_names())[value.month]} {value.year}"
        rest = format_string[5:]
        if not rest:
            return day
        if rest == ", H:i":
            return f"{day}, {value.hour:02d}:{value.minute:02d}"
        if rest == ", H:i T" and value.tzinfo is not None:
            zone = value.tzinfo.tzname(value)
            return f"{day}, {value.hour:02d}:{value.minute:02d} {zone}"
    return dateformat.format(value, format_string)


class CardDates:
    """Django's `date` filter with "c" and "j F Y" for the many dates of one
    listing: the reader's time zone and month names looked up once, not per
    date (each look-up reads a context-local variable)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.months = month_names()

    def __call__(self, value):
        """(datetime attribute, shown date) of value, or ("", "")."""
        if not value:
            return "", ""
        if settings.USE_TZ and timezone.is_aware(value):
            value = timezone.localtime(value, self.zone)
        return value.isoformat(), format_local(value, "j F Y", self.months)
