"""Lists of article cards, rendered by the Jinja2 card template (core.jinja)."""

from django.template import engines


def render_cards(request, articles, *, heading="h2", show_section=False, lead=False):
    template = engines["jinja2"].get_template("news/cards.html")
    return template.render(
        {
            "articles": articles,
            "heading": heading,
            "show_section": show_section,
            "lead": lead,
        },
        request=request,
    )
