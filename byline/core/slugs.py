"""Slugs in every script, marks included: one definition for Python, the URL
patterns and the admin's script (static/js/slug.js).

Django's `slugify(…, allow_unicode=True)` keeps what Python's `\\w` matches,
letters and digits; the combining marks of Indic and South-East Asian scripts
(vowel signs, viramas, tone marks: Unicode categories Mn, Mc and Me) are not
`\\w`, so "नमस्ते दुनिया" became "नमसत-दनय" and Tamil, Bengali and Thai
lost letters the same way. Django's `validate_unicode_slug`, Wagtail's page
route (`[\\w\\-]+`) and Wagtail's admin script (`\\p{L}\\p{N}`) all leave them
out too.

A slug here is made in these steps, the same in Python and JavaScript:
1. the text in Unicode's NFKC form, lowercased;
2. every character dropped but letters (L*), marks (M*), numbers (N*), `_`,
   `-` and whitespace; Arabic's short vowels (harakat, optional in writing,
   `core/text.ARABIC_OPTIONAL_MARKS`) are dropped, as Django dropped them;
3. each run of `-` and whitespace made one `-`;
4. `-` and `_` trimmed from both ends.
For text without marks that is exactly Django's `slugify(…, allow_unicode=True)`
(`\\w` is L*, N* and `_`), so Latin, Cyrillic or Chinese slugs are unchanged.
Format characters (the zero-width joiners of Indic and Persian writing) are
dropped, as Django drops them: invisible in an address, they could make two
slugs that look alike differ.
"""

import functools
import re
import unicodedata

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from byline.core.text import ARABIC_OPTIONAL_MARKS

# Planes with assigned marks: the BMP, 1 to 3 (supplementary scripts, CJK
# extensions) and 14 (variation selectors); 4 to 13 hold no characters.
_PLANES = [range(0, 0x40000), range(0xE0000, 0xE1000)]


@functools.cache
def marks():
    """The combining marks (Mn, Mc, Me) of this Python's Unicode version but
    Arabic's optional ones, as the ranges of a regular expression's character
    class (`\\u0900-\\u0903…`); Python's `re` has no `\\p{M}`. About 300
    ranges, found once per process."""
    optional = re.compile(f"[{ARABIC_OPTIONAL_MARKS}]")
    ranges, start = [], None
    for plane in _PLANES:
        for code in plane:
            char = chr(code)
            if unicodedata.category(char)[0] == "M" and not optional.match(char):
                start = code if start is None else start
            elif start is not None:
                ranges.append((start, code - 1))
                start = None
    return "".join(
        re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "")
        for low, high in ranges
    )


@functools.cache
def slug_chars():
    """The characters a slug is made of, as a regular expression's class body:
    letters, digits, `_` (`\\w`), the marks, and `-`."""
    return rf"\w{marks()}\-"


# Whitespace, spelled out so that static/js/slug.js uses the same: what
# Python's `str.isspace()` (and so Django's `\s`) calls whitespace.
WHITESPACE = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)


@functools.cache
def _dropped():
    return re.compile(rf"[^{slug_chars()}{WHITESPACE}]")


_SEPARATORS = re.compile(rf"[\-{WHITESPACE}]+")


def slugify(text):
    """Return the slug of `text` in its own script, marks kept ("नमस्ते दुनिया"
    → "नमस्ते-दुनिया"; "Hello, World!" → "hello-world", as Django makes it)."""
    # Python's lower() and JavaScript's toLowerCase() both write a word's
    # last "Σ" as "ς" (e2e/test_slug_script.py compares them).
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = _dropped().sub("", text)
    return _SEPARATORS.sub("-", text).strip("-_")


def dropped_marks_for_script():
    """Arabic's optional marks as `\\uXXXX` escapes, for static/js/slug.js
    (which keeps `\\p{M}` but these)."""
    return "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in ARABIC_OPTIONAL_MARKS)


def slug_regex():
    """One slug in a URL pattern or a validator: one or more slug characters."""
    return f"[{slug_chars()}]+"


class SlugValidator(RegexValidator):
    """Django's `validate_unicode_slug`, marks accepted."""

    message = _(
        "Enter a valid “slug” consisting of letters (with their accents and "
        "vowel signs), numbers, underscores or hyphens."
    )
    code = "invalid"

    def __init__(self):
        super().__init__(re.compile(rf"^{slug_regex()}\Z"))


validate_slug = SlugValidator()


class SlugFormField(forms.SlugField):
    """A form's slug field that takes marks (the admin's page and author
    forms: `byline/core/wagtail_hooks.py`)."""

    default_validators = [validate_slug]

    def __init__(self, **kwargs):
        kwargs["allow_unicode"] = True
        super().__init__(**kwargs)
        # forms.SlugField chose Django's validator by `allow_unicode`.
        self.validators = [validate_slug, *self.validators[1:]]


def accept_marks(model):
    """Have `model`'s slug field, a `SlugField(allow_unicode=True)` declared
    elsewhere (Wagtail's pages, taggit's tags, our authors), take marks: Django
    checks it with `validate_unicode_slug`. Called from the apps' ready()."""
    from django.core.validators import validate_unicode_slug  # noqa: PLC0415

    from byline.core.internals import replace_validator  # noqa: PLC0415

    field = model._meta.get_field("slug")
    replace_validator(field, validate_unicode_slug, validate_slug)


def tag_slug_with_marks(sender, instance, **kwargs):
    """A `pre_save` receiver for taggit's Tag: taggit makes a new tag's slug
    with Django's slugify, then `_1`, `_2`… while it is taken; the same slug
    made here keeps the marks. A slug someone chose is left alone."""
    if not instance._state.adding or not instance.slug:
        return
    made = instance.slugify(instance.name)
    found = re.fullmatch(re.escape(made) + r"(_\d+)?", instance.slug)
    if found is not None:
        suffix = found.group(1) or ""
        limit = instance._meta.get_field("slug").max_length - len(suffix)
        instance.slug = slugify(instance.name)[:limit] + suffix


class SlugFromTitle:
    """A page mixin: an empty slug is made from the title with its marks.

    Wagtail fills an empty slug in `full_clean` with Django's slugify (marks
    dropped) once the page's place in the tree is known; this does it first,
    the same way (`-2`, `-3`… past a sibling's slug).
    """

    def full_clean(self, *args, **kwargs):
        self.slug_from_title()
        super().full_clean(*args, **kwargs)

    def save(self, *args, **kwargs):
        # Wagtail fills the slug here for a page saved without a full_clean
        # (a draft).
        self.slug_from_title()
        return super().save(*args, **kwargs)

    def slug_from_title(self):
        if self.slug or not self.title or not self.path:
            return
        base = slugify(self.title)
        if not base:
            return
        max_length = self._meta.get_field("slug").max_length
        siblings = self.get_parent().get_children().exclude(pk=self.pk)
        taken = set(
            siblings.filter(
                slug__startswith=numbered_stem(base, max_length)
            ).values_list("slug", flat=True)
        )
        self.slug, _ = free_slug(base, taken, max_length)


# Room kept for "-" and the number when a slug is numbered: ten digits.
_NUMBER_ROOM = 11


def free_slug(base, taken, max_length, n=2):
    """Return the first of `base`, `base-2`, `base-3`… (from `base-n`) that
    `taken` does not hold, and the number to try next time.

    Each is cut to fit `max_length` before its number, so a long title's
    numbered slug is as valid as its first one. The pages, the JSON Lines
    import and the WordPress import all number slugs this way; an import keeps
    the next number per base, so a thousand "Letters" do not each count up
    from 2."""
    slug = _cut(base, max_length) or base[:max_length]
    while slug in taken:
        suffix = f"-{n}"
        slug = _cut(base, max_length - len(suffix)) + suffix
        n += 1
    return slug, n


def _cut(base, length):
    """`base` cut to at most `length` characters, not between a letter and
    its marks (nor after a virama), with no `-` or `_` left at its end. A
    longer `length` never gives a shorter cut, so every cut begins with
    `numbered_stem`'s."""
    end = min(length, len(base))
    while 0 < end < len(base) and (
        unicodedata.category(base[end])[0] == "M"
        or unicodedata.combining(base[end - 1]) == 9  # a virama joins the next
    ):
        end -= 1
    return base[:end].rstrip("-_")


def numbered_stem(base, max_length):
    """What every slug `free_slug` can make from `base` begins with: the
    prefix to look up the taken slugs by, in one query."""
    return _cut(base, max_length - _NUMBER_ROOM)
