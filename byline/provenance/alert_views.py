"""Readers ask to be told about corrections: sign up, confirm, unsubscribe."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from byline.core import optin
from byline.news.models import ArticlePage
from byline.provenance import alerts, tasks
from byline.provenance.models import CorrectionAlert
from byline.provenance.records import is_private

# Sign-ups per client address per window: enough for a household, not for a bot.
RATE = (5, 10 * 60)


class AlertForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        error_messages={"invalid": "That does not look like an email address."},
    )
    website = forms.CharField(required=False)  # the honeypot; people leave it empty


def _public_article(article_id):
    article = get_object_or_404(ArticlePage.objects.live(), pk=article_id)
    if is_private(article):
        raise Http404("No published article here.")
    return article


@require_http_methods(["GET", "POST"])
def sign_up(request, article_id):
    article = _public_article(article_id)
    form = AlertForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if optin.over_rate_limit(request, "correction-alerts", *RATE):
            form.add_error(
                None,
                "Too many sign-ups from your connection. Try again in a few minutes.",
            )
            status = 429
        elif form.is_valid() and not form.cleaned_data["website"]:
            alert, mail_needed = alerts.subscribe(form.cleaned_data["email"], article)
            if mail_needed:
                tasks.send_alert_confirmation.enqueue(alert.pk)
            # The same words whether or not the address was known: no address probing.
            messages.success(
                request,
                "Almost done: we have sent a link to that address. Open it to confirm, "
                "and we will email you if this article is corrected or updated.",
            )
            return HttpResponseRedirect(article.url + "#trust-heading")
        elif form.is_valid():
            form.add_error(None, "Leave the last field empty.")
        status = status if status != 200 else 400
    return render(
        request, "provenance/alert_form.html", {"article": article, "form": form},
        status=status,
    )  # fmt: skip


def _alert_from(purpose, token, max_days=None):
    alert_id = alerts.read_token(purpose, token, max_days)
    alert = (
        CorrectionAlert.objects.select_related("article").filter(pk=alert_id).first()
        if alert_id
        else None
    )
    if alert is None:
        raise Http404("This link is not valid, or it has expired.")
    return alert


def confirm(request, token):
    alert = _alert_from("confirm", token, alerts.CONFIRM_DAYS)
    alerts.confirm(alert)
    return render(
        request, "provenance/alert_done.html", {"alert": alert, "confirmed": True}
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    alert = _alert_from("end", token)
    if request.method == "POST":
        alerts.end(alert)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(
            request, "provenance/alert_done.html", {"alert": alert, "ended": True}
        )
    return render(request, "provenance/alert_unsubscribe.html", {"alert": alert})
