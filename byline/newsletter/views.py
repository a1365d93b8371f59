"""Sign up, confirm, unsubscribe."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from byline.core import optin
from byline.core.forms import IdsChoiceField
from byline.core.privacy import public
from byline.news.models import SectionPage
from byline.newsletter import signup, tasks
from byline.newsletter.models import Frequency, Subscriber

RATE = (5, 10 * 60)  # sign-ups per client address per window


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "invalid": "That does not look like an email address.",
        },
    )
    frequency = forms.ChoiceField(
        choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )
    sections = IdsChoiceField(
        queryset=SectionPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every section.",
    )
    website = forms.CharField(required=False)  # the honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = public(SectionPage.objects.live()).order_by(
            "path"
        )

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError("Leave this field empty.")
        return ""


# No CSRF token: the form is in every page's footer, and a token would make
# every page uncacheable. A forged sign-up can only send a confirmation mail,
# which anyone can already do by typing an address; nothing changes until the
# address's owner clicks the link.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def sign_up(request):
    # An empty POST is still a sign-up attempt: bound, so it gets its errors.
    form = SignupForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if optin.over_rate_limit(request, "newsletter", *RATE):
            form.is_valid()
            form.add_error(
                None,
                "Too many sign-ups from your connection. Try again in a few minutes.",
            )
            status = 429
        elif form.is_valid():
            subscriber, mail_needed = signup.subscribe(
                form.cleaned_data["email"],
                form.cleaned_data["frequency"],
                form.cleaned_data["sections"],
            )
            if mail_needed:
                tasks.send_confirmation.enqueue(subscriber.pk)
            # The same answer whether or not the address was known.
            return render(
                request, "newsletter/check_inbox.html", {"email": subscriber.email}
            )
        else:
            status = 400
    return render(request, "newsletter/signup.html", {"form": form}, status=status)


def _subscriber(purpose, token, max_days=None):
    subscriber_id = signup.read_token(purpose, token, max_days)
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id).first() if subscriber_id else None
    )
    if subscriber is None:
        raise Http404("This link is not valid, or it has expired.")
    return subscriber


def confirm(request, token):
    subscriber = _subscriber("confirm", token, signup.CONFIRM_DAYS)
    signup.confirm(subscriber)
    return render(
        request, "newsletter/done.html", {"subscriber": subscriber, "confirmed": True}
    )


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = _subscriber("end", token)
    if request.method == "POST":
        signup.unsubscribe(subscriber)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "newsletter/done.html", {"subscriber": subscriber})
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
