"""Readers ask to be told about corrections: sign up, confirm, unsubscribe."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from byline.core import notices, ratelimit
from byline.core.resend import resendable
from byline.news.public import public_articles
from byline.provenance import alerts, tasks
from byline.provenance.models import CorrectionAlert

# Sign-ups per client address per window: enough for a household, not for a bot.
RATE = (5, 10 * 60)


class AlertForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        error_messages={"invalid": _("That does not look like an email address.")},
    )
    website = forms.CharField(required=False)  # the honeypot; people leave it empty


def _public_article(article_id):
    return get_object_or_404(public_articles(), pk=article_id)


@resendable(AlertForm)
@require_http_methods(["GET", "POST"])
def sign_up(request, article_id):
    article = _public_article(article_id)
    form = AlertForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not ratelimit.hit_address(request, "correction-alerts", RATE).allowed:
            form.add_error(
                None,
                _(
                    "Too many sign-ups from your connection. "
                    "Try again in a few minutes."
                ),
            )
            status = 429
        elif form.is_valid() and not form.cleaned_data["website"]:
            alert, mail_needed = alerts.subscribe(form.cleaned_data["email"], article)
            if mail_needed:
                tasks.send_alert_confirmation.enqueue(alert.pk)
            # The same words whether or not the address was known: no address probing.
            # Said beside the form the reader used (core/notices.py).
            return notices.redirect(
                request,
                article.url,
                "correction-alert",
                _(
                    "Almost done: we have sent a link to that address. "
                    "Open it to confirm, "
                    "and we will email you if this article is corrected or updated."
                ),
                level=messages.SUCCESS,
            )
        elif form.is_valid():
            form.add_error(None, _("Leave the last field empty."))
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
        raise Http404(_("This link is not valid, or it has expired."))
    return alert


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The mailed link shows the alert; only its button (a POST) confirms it.

    Mail scanners open every link in a message, and press nothing."""
    alert = _alert_from("confirm", token, alerts.CONFIRM_DAYS)
    if request.method == "POST":
        alerts.confirm(alert)
        return render(
            request, "provenance/alert_done.html", {"alert": alert, "confirmed": True}
        )
    return render(request, "provenance/alert_confirm.html", {"alert": alert})


@csrf_exempt  # RFC 8058 one-click: mail providers POST with no cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    alert = _alert_from("end", token)
    if request.method == "POST":
        alerts.end(alert)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain")
        return render(
            request, "provenance/alert_done.html", {"alert": alert, "ended": True}
        )
    return render(request, "provenance/alert_unsubscribe.html", {"alert": alert})
