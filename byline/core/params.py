"""Ids, numbers and dates read from a request: shared bounds and parsers.

A value in a URL or a form is whatever a reader typed. Python turns any run of
digits into an int, and a database refuses ints wider than 64 bits with an
error (SQLite: OverflowError, PostgreSQL: a DataError) that became a 500; a
date at the end of the calendar overflowed the day after it. Everything here
answers "no such value" instead, so a view turns it into a 404 or a message.

`<id:name>` in a URL pattern (registered in byline/urls.py) takes 1 to 19
digits up to MAX_ID; anything else does not match the route, so the reader
gets the site's 404 page.
"""

from datetime import date, timedelta

from byline.core.slugs import slug_regex

# The largest id a 64-bit integer column holds (SQLite INTEGER, PostgreSQL bigint).
MAX_ID = 2**63 - 1


class IdConverter:
    """The `id` path converter: a positive 64-bit database id."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")  # Django: the route does not match
        return number

    def to_url(self, value):
        return str(int(value))


class SlugConverter:
    r"""The `uslug` path converter: a slug in any script ("москва", "北京").

    Django's `slug` converter takes ASCII only, while taggit, Wagtail and our
    importers make slugs that keep the script of the name; reversing a tag's
    URL then failed (issue 19, item 32). Letters, marks and digits of every
    script, `-` and `_`, as `core/slugs.py` makes them ("नमस्ते" keeps its
    vowel signs, which Python's `\w` leaves out).
    """

    @property
    def regex(self):
        return slug_regex()

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def parse_id(value):
    """Return a positive 64-bit id from text (or an int), or None."""
    return parse_int(value, minimum=1, maximum=MAX_ID)


def parse_int(value, *, minimum=None, maximum=None):
    """Return a whole number within the bounds from text of ASCII digits, or None.

    Only `0-9` (and a leading minus): `int()` also accepts spaces, underscores,
    and digits of other scripts, none of which a link or form of ours sends.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 20 or not digits.isascii() or not digits.isdigit():
        return None
    number = int(text)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


def day_after(day):
    """Return the next day, or None when there is none to compare with."""
    return day + timedelta(days=1) if day and day < date.max else None
