from django import template
from django.utils.safestring import mark_safe

from byline.news.cards import render_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def cards(context, articles, heading="h2", show_section=False, lead=False):
    """`{% cards articles heading="h3" show_section=True %}`: the cards of a list."""
    html = render_cards(
        context.get("request"),
        articles,
        heading=heading,
        show_section=show_section,
        lead=lead,
    )
    return mark_safe(html)  # rendered by Jinja2 with autoescaping
