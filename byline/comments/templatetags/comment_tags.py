"""The filter the comment mails (Django templates) use; reader pages take
theirs from comments/jinja_globals.py."""

from django import template

from byline.comments import text as comment_text

register = template.Library()


@register.filter
def comment_html(comment):
    return comment_text.render(comment.text)
