"""Offering a refused post back to its reader, and only what is safe to offer.

Three pages answer a POST that was not carried out: the CSRF failure page
(`pagecache.views.csrf_failure`), the rate limit (429, `core.ratelimit`) and
the database outage (503, `core.errors`). So that nothing typed is lost, each
may show the reader what they sent, ready to send again. But a post sent again
with a fresh token is a one-click forgery when the post came from another
site: the 2026 review re-offered a forged admin form to a signed-in superuser,
whose one click created a superuser. So an offer is made only

- for a view marked `@resendable(FormClass)`: a reader's form whose loss would
  hurt (a comment, a subscription); never the admin;
- with only the fields that form defines, each shown and editable (the
  reader sees everything that will be sent); values the server makes (the
  form stamp) are made afresh and the honeypot is left out;
- when the post was vouched for by the CSRF check (a signed-in user's token,
  or a reader's browser saying it came from our own page): then with a fresh
  token. Otherwise (the CSRF failure page, a CSRF-exempt form) only to a
  reader without a session, and the form is marked as resent:
  `SharedPageCsrfMiddleware` refuses a resent post from anyone signed in. The
  mark is needed because a forged cross-site post arrives without the
  victim's session cookie (SameSite=Lax), so who will click cannot be known
  when the offer is made.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings

ADMIN_PREFIXES = ("/admin/", "/django-admin/")
# Carried by an offer made without a CSRF check behind it.
RESENT_FIELD = "byline_resent"
# Set on a request by the CSRF middleware when it accepted the post.
VOUCHED = "byline_csrf_vouched"
HONEYPOTS = ("website",)


def resendable(form_class, *, fresh=None):
    """Mark a view whose refused posts may be offered back, with the fields
    of `form_class`; `fresh` maps server-made fields to functions making a new
    value (the comment form's stamp)."""

    def mark(view):
        view.resend_form = form_class
        view.resend_fresh = dict(fresh or {})
        return view

    return mark


def vouch(request):
    """Record that the CSRF check accepted this request's post."""
    setattr(request, VOUCHED, True)


@dataclass
class Field:
    name: str
    label: str
    value: str
    multiline: bool = False
    choices: list = field(default_factory=list)


@dataclass
class Offer:
    action: str
    fields: list  # of Field, every one shown
    made: list  # (name, value) the server made afresh
    resent: bool  # not vouched for: refused from anyone signed in


def offer(request):
    """What of this refused post may be offered back to the reader, or None."""
    if request.method != "POST" or request.path.startswith(ADMIN_PREFIXES):
        return None
    match = getattr(request, "resolver_match", None)
    form_class = getattr(match.func, "resend_form", None) if match else None
    if form_class is None:
        return None
    vouched = getattr(request, VOUCHED, False)
    if not vouched and settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    made_by_us = match.func.resend_fresh
    shown = _fields(request, form_class, skip=set(made_by_us) | set(HONEYPOTS))
    if not shown:
        return None
    return Offer(
        action=request.get_full_path(),
        fields=shown,
        made=[(name, make()) for name, make in made_by_us.items()],
        resent=not vouched,
    )


def _fields(request, form_class, skip):
    try:
        posted = request.POST
    except Exception:  # an unreadable body is not worth a second error
        return []
    shown = []
    # The class's declared fields: building the form could need the database,
    # which the outage page cannot count on.
    for name, form_field in form_class.base_fields.items():
        if name in skip:
            continue
        for value in posted.getlist(name):
            shown.append(
                Field(
                    name=name,
                    label=str(form_field.label or name.replace("_", " ").capitalize()),
                    value=value,
                    multiline=isinstance(form_field.widget, forms.Textarea),
                    choices=_choices(form_field),
                )
            )
    return shown


def _choices(form_field):
    # Plain choices only: a model choice field's would be a query.
    if isinstance(form_field, forms.ChoiceField) and not isinstance(
        form_field, forms.ModelChoiceField | forms.ModelMultipleChoiceField
    ):
        return [(str(value), str(label)) for value, label in form_field.choices]
    return []
