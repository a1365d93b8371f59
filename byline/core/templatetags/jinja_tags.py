from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name):
    """`{% jinja "chrome/header.html" %}`: a Jinja2 partial shared with the
    Jinja2 pages, rendered with this template's variables."""
    partial = engines["jinja2"].env.get_template(template_name)
    return mark_safe(partial.render(context.flatten()))  # autoescaped by Jinja2
