"""Sign up, confirm, unsubscribe."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from byline.core import ratelimit
from byline.core.forms import IdsChoiceField
from byline.core.privacy import public
from byline.core.resend import resendable
from byline.news.models import SectionPage
from byline.newsletter import signup, tasks
from byline.newsletter.models import Frequency, Subscriber

RATE = (5, 10 * 60)  # sign-ups per client address per window


class SignupForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("That does not look like an email address."),
        },
    )
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )
    sections = IdsChoiceField(
        queryset=SectionPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for every section."),
    )
    website = forms.CharField(required=False)  # the honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = public(SectionPage.objects.live()).order_by(
            "path"
        )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this field empty."))
        return ""


# No CSRF token: the form is in every page's footer, and a token would make
# every page uncacheable. So a post may come from any site: it changes nothing
# about the address it names and only mails that address a link to the choices
# (signup.py); the answer is the same page whatever the address's state.
@resendable(SignupForm)
@csrf_exempt
@require_http_methods(["GET", "POST"])
def sign_up(request):
    # An empty POST is still a sign-up attempt: bound, so it gets its errors.
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not ratelimit.hit_address(request, "newsletter", RATE).allowed:
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many sign-ups from your connection. "
                    "Try again in a few minutes."
                ),
            )
            status = 429
        elif form.is_valid():
            subscriber, choices = signup.subscribe(
                form.cleaned_data["email"],
                form.cleaned_data["frequency"],
                form.cleaned_data["sections"],
            )
            if choices is not None:
                tasks.send_confirmation.enqueue(
                    subscriber.pk, choices.frequency, choices.section_ids
                )
            return render(
                request, "newsletter/check_inbox.html", {"email": subscriber.email}
            )
        else:
            status = 400
    return render(request, "newsletter/signup.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The mailed link: show the choices it carries; the button applies them.

    Opening the link (as mail scanners do) changes nothing."""
    found = signup.read_choices_token(token)
    if found is None:
        raise Http404(_("This link is not valid, or it has expired."))
    subscriber, choices = found
    context = {"subscriber": subscriber, "choices": choices}
    if request.method == "POST":
        signup.apply(subscriber, choices)
        return render(request, "newsletter/done.html", {**context, "confirmed": True})
    return render(request, "newsletter/confirm.html", context)


def _subscriber(purpose, token):
    subscriber_id = signup.read_token(purpose, token)
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id).first()
        if isinstance(subscriber_id, int)
        else None
    )
    if subscriber is None:
        raise Http404(_("This link is not valid, or it has expired."))
    return subscriber


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = _subscriber("end", token)
    if request.method == "POST":
        signup.unsubscribe(subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain")
        return render(request, "newsletter/done.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
