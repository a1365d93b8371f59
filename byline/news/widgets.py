"""The editor's headline box: it wraps like the headline it is, and says how
much of it search results and social cards will show."""

from django import forms
from django.utils.html import format_html

# What is commonly shown before a title is cut: search engines show about 60
# to 70 characters, social cards about 70 (longer ones are cut with "…").
SEARCH_LENGTH = 60
CARD_LENGTH = 70


def length_guide(length):
    """The guide's words for a headline of `length` characters."""
    if length <= SEARCH_LENGTH:
        return f"{length} characters: search results and social cards show it whole."
    if length <= CARD_LENGTH:
        return (
            f"{length} characters: search results may cut it after about "
            f"{SEARCH_LENGTH}; social cards show it whole."
        )
    return (
        f"{length} characters: search results and social cards will cut it (about "
        f"{SEARCH_LENGTH}–{CARD_LENGTH} are shown). A shorter title for search can "
        "go in the Promote tab."
    )


def length_state(length):
    if length <= SEARCH_LENGTH:
        return "ok"
    return "long" if length <= CARD_LENGTH else "too-long"


class HeadlineWidget(forms.Textarea):
    """A textarea for a one-line value: it wraps instead of scrolling sideways,
    and line breaks typed or pasted into it are saved as spaces."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={
                "rows": 2,
                "class": "byline-headline",
                "data-length-guide": "",
                "data-search-length": SEARCH_LENGTH,
                "data-card-length": CARD_LENGTH,
                **(attrs or {}),
            }
        )

    class Media:
        js = ["js/admin-headline.js"]

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        return " ".join(value.split()) if isinstance(value, str) else value

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        length = len(" ".join((value or "").split()))
        guide_id = f"{(attrs or {}).get('id') or 'id_' + name}-length"
        # Shown without JavaScript too; admin-headline.js keeps it current.
        return format_html(
            '{}<p class="byline-length-guide" id="{}" data-state="{}" '
            'aria-live="polite">{}</p>',
            box,
            guide_id,
            length_state(length),
            length_guide(length),
        )
