"""gettext for Jinja2 templates, and whole template parts, remembered per language.

A reader page asks for about 70 messages ("Comments", "Share", the footer's
links), the same ones on every render. Django's `gettext` finds the active
language in a context-local variable and walks the catalogue's fallbacks on
every call: about a tenth of an uncached article's CPU (3.15 -> 2.85 ms,
issue 18's cache-miss target). The answer for a (language, message) pair
only changes when the catalogues are reloaded, which Django does when the
settings that name them change (tests) or the process restarts (a deploy);
the memo is forgotten then too. Messages are template constants, so the memo
is bounded; it is emptied past MAX_MESSAGES anyway, should a template
translate a variable.
"""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from markupsafe import Markup

MAX_MESSAGES = 5000
_translated = {}


def gettext(message):
    key = (translation.get_language(), message)
    found = _translated.get(key)
    if found is None:
        if len(_translated) >= MAX_MESSAGES:
            _translated.clear()
        found = _translated[key] = translation.gettext(message)
    return found


_rendered = {}


def same_for_every_reader(name):
    """Template `name` rendered without context, once per language: for parts
    of every page that depend on nothing else (chrome/script_text.html, the
    scripts' 40 messages as JSON: a tenth of an uncached article's time)."""
    key = (translation.get_language(), name)
    found = _rendered.get(key)
    if found is None:
        found = _rendered[key] = Markup(render_to_string(name))
    return found


@receiver(setting_changed)
def forget(setting, **kwargs):
    """Catalogues and the language come from these settings."""
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _translated.clear()
        _rendered.clear()
