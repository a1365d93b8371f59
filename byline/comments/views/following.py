"""Following comments by mail: "notify me", the mailed confirm and unsubscribe
links, and the page listing an address's subscriptions."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from byline.comments import cookies, defences, notifications, posting, public, tokens
from byline.comments.forms import SubscribeForm
from byline.comments.models import Subscription
from byline.comments.views.answers import (
    back_to_comments,
    done,
    json_not_found,
    public_article,
    refuse,
)
from byline.core import notices, ratelimit
from byline.core.params import parse_id
from byline.core.resend import resendable

SUBSCRIBE_ANSWER = _(
    "Check your inbox: unless this address already follows these comments, a "
    "link to confirm is on its way, and notifications start once it is pressed."
)
# What a confirmed subscription brings, in the words of the reader's choice.
CONFIRMED_ANSWERS = {
    Subscription.Kind.ARTICLE: _(
        "Confirmed: we will email you about new comments on this article."
    ),
    Subscription.Kind.REPLIES: _(
        "Confirmed: we will email you when someone replies to your comment."
    ),
}


@resendable(SubscribeForm)
@require_POST
@json_not_found
def subscribe(request, article_id):
    """ "Notify me of new comments" without commenting."""
    article = public_article(article_id)
    form = SubscribeForm(request.POST)
    back = back_to_comments(article, request)
    if not form.is_valid():
        return refuse(request, back, _("Give an email address to notify."), 400)
    if not ratelimit.hit_address(request, "subscribe", defences.ip_limit()).allowed:
        return refuse(
            request, back, _("Too many requests: wait a few minutes and retry."), 429
        )
    posting.follow(form.cleaned_data["email"], article, Subscription.Kind.ARTICLE)
    # One answer whatever the address's state: the page must not tell a
    # stranger who follows what.
    return done(request, back, SUBSCRIBE_ANSWER)


def _subscription_from(purpose, token, max_days=None, *, public_only=False):
    pk = tokens.read(purpose, token, max_days)
    subscriptions = Subscription.objects.select_related("article")
    if public_only:
        subscriptions = subscriptions.filter(article__in=public.articles())
    subscription = subscriptions.filter(pk=pk).first() if pk else None
    if subscription is None:
        raise Http404(_("This link is not valid (or has expired)."))
    return subscription


def confirm_subscription(request, token):
    # Following an article that is no longer public starts nothing (and its
    # page would redirect there); leaving one always works (unsubscribe).
    subscription = _subscription_from(
        "confirm", token, tokens.CONFIRM_DAYS, public_only=True
    )
    if request.method == "POST":
        notifications.confirm(subscription)
        response = notices.redirect(
            request,
            subscription.article.url,
            "comments",
            CONFIRMED_ANSWERS[subscription.kind],
        )
        # The mailed link was opened and pressed here: this browser is the
        # address's owner's, and may comment as them (policy.Commenter).
        cookies.remember_confirmed(request, response, subscription.email)
        return response
    return render(
        request,
        "comments/subscription_confirm.html",
        {"subscription": subscription},
    )


@csrf_exempt  # RFC 8058: mail clients POST here with no page and no cookie
def unsubscribe(request, token):
    subscription = _subscription_from("unsubscribe", token)
    if request.method == "POST":
        notifications.end(subscription)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Unsubscribed."), content_type="text/plain")
        messages.info(request, _("Done: no more notifications of this kind."))
        return HttpResponseRedirect(
            reverse(
                "comments:subscriptions",
                args=[tokens.make("manage", subscription.email)],
            )
        )
    return render(request, "comments/unsubscribe.html", {"subscription": subscription})


def subscriptions(request, token):
    """Every subscription of the address the (mailed) link was made for."""
    email = tokens.read("manage", token)
    if not email:
        raise Http404(_("This link is not valid."))
    own = Subscription.objects.filter(email=email, ended=None).select_related(
        "article", "comment"
    )
    if request.method == "POST":
        chosen_id = parse_id(request.POST.get("subscription"))
        chosen = own.filter(pk=chosen_id).first() if chosen_id else None
        if chosen is not None:
            notifications.end(chosen)
            messages.info(request, _("Done: that subscription has ended."))
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "comments/subscriptions.html",
        {"email": email, "subscriptions": own.order_by("-created")},
    )
