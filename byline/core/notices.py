"""Messages shown where the reader is, not at the top of the page.

A view that sends the reader back to a place on a page (`#comment-12`,
`#comments`, the correction-alert form) says its message *at* that place: it is
a Django message tagged `at:<element id>`, and the template draws it beside the
element with that id, so a reader who lands there reads it without scrolling,
with or without JavaScript. Messages with no place are drawn at the top of the
page (chrome/messages.html), as before.

A page with a message is never a shared page: the messages cookie is personal
to the page cache (core.cacheable.PERSONAL_COOKIES), so the page is
rendered for this reader alone, marked private, and kept by no cache; the next
plain request gets the shared page again, with no message in it.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect

PREFIX = "at:"


def place_of(message):
    """The element id a message is drawn beside, or None for the page's top."""
    tags = message.extra_tags or ""
    return tags[len(PREFIX) :] if tags.startswith(PREFIX) else None


def redirect(request, url, place, text, level=messages.INFO):
    """Send the reader to `url#place` and say `text` there."""
    messages.add_message(request, level, text, extra_tags=PREFIX + place)
    return HttpResponseRedirect(f"{url}#{place}")
