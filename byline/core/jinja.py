"""The Jinja2 environment: article pages, the site's header and footer, cards.

Django's template engine spent about 0.25 ms on each card of a listing and
about half of an article page's 6 ms rendering its markup. These templates are
compiled to Python by Jinja2 instead; the other pages keep Django templates and
take the shared header and footer from here (`{% jinja %}`), so that markup
lives in one place.
"""

from functools import lru_cache

import jinja2
from django.conf import settings
from django.template.defaultfilters import capfirst, linebreaksbr, truncatechars
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.timezone import template_localtime
from jinja2 import Environment, pass_context
from jinja2.runtime import new_context
from markupsafe import Markup

from byline.core.dates import format_local


def date(value, format_string):
    """Django's `date` filter: the value in the site's time zone, Django's
    format characters (month names translated)."""
    if not value:
        return ""
    return format_local(template_localtime(value), format_string)


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
def newsletter_signup(context, heading_id="newsletter-heading"):
    from byline.newsletter.templatetags.newsletter_tags import signup_form

    return Markup(signup_form(context.get("request"), heading_id))


@pass_context
def article_head(context, article, provenance):
    from byline.provenance.templatetags.provenance_tags import article_head as head

    return Markup(head(context, article, provenance))


@pass_context
def related_articles(context, article):
    from byline.related.templatetags.related_tags import related_articles as block

    return Markup(block(context, article))


@pass_context
def comments_for(context, article):
    from byline.comments.templatetags.comment_tags import comments_block

    return Markup(comments_block(context, article))


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


def comment_html(comment):
    from byline.comments import text as comment_text

    return Markup(comment_text.render(comment.text))


def with_feedback(html, article):
    from byline.comments.templatetags.comment_tags import with_feedback as mark

    return Markup(mark(html, article))


def article_provenance(article):
    from byline.provenance.showing import provenance_of

    return provenance_of(article)


def richtext(value):
    """Wagtail's `|richtext`: stored rich text with its links and embeds
    expanded, without rendering Wagtail's wrapper template for it
    (wagtailcore/shared/richtext.html is `{{ html|safe }}`; Byline does not
    override it). Other values go to Wagtail's filter."""
    from wagtail.rich_text import expand_db_html
    from wagtail.templatetags.wagtailcore_tags import richtext as wagtail_richtext

    if type(value) is str:
        return Markup(expand_db_html(value))
    return wagtail_richtext(value)


class Template(jinja2.Template):
    """Jinja2's template, rendered without copying the environment's globals.

    Each `render` built its context by reading every global through a ChainMap
    (40 µs, and a page renders a few templates); the globals are set when the
    environment is made, so each template merges them once. Lookups are the
    same: this render's values first, then the globals.
    """

    def render(self, *args, **kwargs):
        if self.environment.is_async:
            return super().render(*args, **kwargs)
        merged = self.__dict__.get("_merged_globals")
        if merged is None:
            merged = self._merged_globals = dict(self.globals)
        context = self.new_context({**merged, **dict(*args, **kwargs)}, shared=True)
        try:
            return self.environment.concat(self.root_render_func(context))
        except Exception:
            self.environment.handle_exception()

    def new_context(self, vars=None, shared=False, locals=None):
        if shared:
            # The values already hold the globals (this render's, or the
            # including template's context): no need to list them again.
            return new_context(
                self.environment, self.name, self.blocks, vars, True, None, locals
            )
        return super().new_context(vars, shared, locals)


def environment(**options):
    env = Environment(
        extensions=[
            "wagtail.jinja2tags.core",
            "wagtail.images.jinja2tags.images",
            "wagtail.admin.jinja2tags.userbar",
        ],
        **options,
    )
    env.template_class = Template
    env.globals.update(
        static=static,
        url=url,
        csrf_field=csrf_field,
        newsletter_signup=newsletter_signup,
        article_head=article_head,
        article_provenance=article_provenance,
        related_articles=related_articles,
        comments_for=comments_for,
        querystring=querystring,
        comment_html=comment_html,
    )
    env.filters.update(
        richtext=richtext,
        date=date,
        pluralize=pluralize,
        capfirst=capfirst,
        linebreaksbr=linebreaksbr,
        with_feedback=with_feedback,
        truncatechars=truncatechars,
    )
    return env
