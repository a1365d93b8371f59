"""Lists of article cards, rendered by the Jinja2 card template (core.jinja)."""

from django.template import engines


def render_cards(request, articles, *, heading="h2", show_section=False, lead=False):
    # The bare Jinja2 template: a list needs no context processors run again.
    template = engines["jinja2"].env.get_template("news/cards.html")
    return template.render(
        {
            "request": request,
            "articles": articles,
            "heading": heading,
            "show_section": show_section,
            "lead": lead,
        }
    )
