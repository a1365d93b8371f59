"""The Jinja2 environment that renders every reader page (TEMPLATES in settings).

Templates live beside the app they belong to, in `<app>/jinja2/<app>/`; the
page skeleton, header, footer and shared includes in `byline/jinja2/`. The
admin (Wagtail's and Django's) and mail stay on Django templates.

Django's template engine spent about 0.25 ms on each card of a listing and
about half of an article page's 6 ms rendering its markup; Jinja2 compiles
templates to Python instead.

This module gives the site-wide helpers (Django's `url`, `static`,
`csrf_token`, `date` …). Each app adds its own globals and filters from its
`jinja_globals.py` (`GLOBALS` and `FILTERS` dicts), found here through the
installed apps, so that no lower layer needs to import a feature.
"""

from functools import lru_cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.template.defaultfilters import capfirst, linebreaksbr, truncatechars
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from django.utils.module_loading import module_has_submodule
from django.utils.timezone import template_localtime
from jinja2 import Environment, pass_context
from markupsafe import Markup
from wagtail.rich_text import expand_db_html
from wagtail.templatetags.wagtailcore_tags import richtext as wagtail_richtext

from byline.core import chrome_parts, fragments, template_gettext
from byline.core.dates import format_local


def date(value, format_string):
    """Django's `date` filter: the value in the site's time zone, Django's
    format characters (month names translated)."""
    if not value:
        return ""
    return format_local(template_localtime(value), format_string)


def html_lang():
    """The site's language for <html lang>, in BCP 47 form ("en-GB", "fr")."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if len(region) == 2 else code


def html_dir():
    """`rtl` for a language written right to left (Arabic, Hebrew …), else `ltr`."""
    return "rtl" if translation.get_language_bidi() else "ltr"


def number(value):
    """Django's localised number: "12,345" in English, "12 345" in French."""
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def pluralize(count, suffix="s"):
    return "" if count == 1 else suffix


def url(name, *args):
    """`url('comments:all', article.pk)`: Django's `{% url %}`, each address
    worked out once per process (a page asks for a dozen, 30 µs each)."""
    return _reversed(get_script_prefix(), get_urlconf(), name, args)


@lru_cache(maxsize=4096)
def _reversed(prefix, urlconf, name, args):
    return reverse(name, args=args, urlconf=urlconf)


def static(path):
    """Django's `{% static %}`; with hashed names (DEBUG off) once per process."""
    if settings.DEBUG:
        return django_static(path)
    return _hashed_static(path)


@lru_cache(maxsize=512)
def _hashed_static(path):
    return django_static(path)


def csrf_field(token):
    """Django's `{% csrf_token %}`: nothing where the page is shared between
    readers (byline.pagecache.context_processors)."""
    if not token or token == "NOTPROVIDED":
        return ""
    return Markup('<input type="hidden" name="csrfmiddlewaretoken" value="{}">').format(
        token
    )


@pass_context
def kept_part(context, name, article, caller):
    """`{% call kept_part("body", page) %}…{% endcall %}`: a part of an article
    page the same for every reader, kept under the page's tags
    (byline/core/fragments.py); the body is rendered only when it is not."""
    return fragments.kept_part(context.get("request"), name, article, caller)


@pass_context
def querystring(context, **changes):
    """Django's `{% querystring page=2 %}`: this request's query with changes."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    return "?" + params.urlencode()


def richtext(value):
    """Wagtail's `|richtext`: stored rich text with its links and embeds
    expanded, without rendering Wagtail's wrapper template for it
    (wagtailcore/shared/richtext.html is `{{ html|safe }}`; Byline does not
    override it). Other values go to Wagtail's filter."""
    if type(value) is str:
        return Markup(expand_db_html(value))
    return wagtail_richtext(value)


def environment(**options):
    env = Environment(
        extensions=[
            # {% trans %} and _(): Django's gettext, so one catalogue (and
            # LANGUAGE_CODE) serves Jinja2 pages, Python and Django's own text.
            "jinja2.ext.i18n",
            "wagtail.jinja2tags.core",
            "wagtail.images.jinja2tags.images",
            "wagtail.admin.jinja2tags.userbar",
        ],
        **options,
    )
    # New-style gettext: `_("%(n)s comments", n=3)` formats and escapes its
    # values; whitespace inside {% trans %} is collapsed, so the catalogue's
    # messages do not depend on the template's line breaks.
    env.install_gettext_callables(
        template_gettext.gettext, translation.ngettext, newstyle=True
    )
    env.policies["ext.i18n.trimmed"] = True
    env.globals.update(
        static=static,
        url=url,
        html_lang=html_lang,
        html_dir=html_dir,
        csrf_field=csrf_field,
        kept_part=kept_part,
        same_for_every_reader=template_gettext.same_for_every_reader,
        kept_chrome=chrome_parts.kept_chrome,
        querystring=querystring,
    )
    env.filters.update(
        richtext=richtext,
        date=date,
        pluralize=pluralize,
        number=number,
        capfirst=capfirst,
        linebreaksbr=linebreaksbr,
        truncatechars=truncatechars,
    )
    for app_globals, app_filters in app_registrations():
        env.globals.update(app_globals)
        env.filters.update(app_filters)
    return env


def app_registrations():
    """Each installed app's `jinja_globals.GLOBALS` and `.FILTERS`, in
    INSTALLED_APPS order (a later app's name wins)."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "jinja_globals"):
            module = import_module(f"{config.name}.jinja_globals")
            found.append((module.GLOBALS, module.FILTERS))
    return found
