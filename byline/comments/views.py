"""Posting, editing, voting on and reporting comments; the "View all comments" page.

Every mutation is a POST with CSRF protection that redirects with a message, so
everything works without JavaScript; a request that asks for JSON
(`Accept: application/json`) gets JSON instead, with a reason on error.
"""

import functools

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from byline.comments import (
    cookies,
    defences,
    mail,
    moderation,
    notify,
    posting,
    public,
    settings_cache,
    tasks,
    tokens,
    votes,
)
from byline.comments.area import comment_area
from byline.comments.forms import (
    CommentForm,
    EditForm,
    EmailForm,
    ReportForm,
    SubscribeForm,
)
from byline.comments.models import (
    Comment,
    Report,
    Subscription,
)
from byline.comments.threads import on_first_page, thread_page
from byline.core import notices, ratelimit
from byline.core.clientip import client_ip
from byline.core.params import parse_id
from byline.core.resend import resendable


def _article(article_id):
    return get_object_or_404(public.articles().select_related("section"), pk=article_id)


def _settings(request):
    return settings_cache.for_request(request)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _json_not_found(view):
    """A JSON client asking for a missing (or not public) article or comment
    gets a JSON 404 with a reason, like every other JSON answer here."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if not _wants_json(request):
                raise
            reason = _("There is no such article or comment here.")
            return JsonResponse({"ok": False, "reason": reason}, status=404)

    return answer


def _rerender_article(request, article, form, status):
    """Show the article again with the form, its errors and what the reader typed."""
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": form.errors.get_json_data()}, status=status
        )
    context = article.get_context(request)
    context["comment_form"] = form
    response = TemplateResponse(
        request, article.get_template(request), context, status=status
    )
    return response


TOO_FAST = _(
    "You have posted a lot in a short time. Wait a few minutes and send "
    "again; your comment is still in the box."
)
POSTED_ANSWERS = {  # the new comment's status: what its author is told
    Comment.Status.APPROVED: _("Thank you: your comment is published."),
    Comment.Status.PENDING: _(
        "Thank you: your comment will appear once a moderator approves it."
    ),
    Comment.Status.REJECTED: _(
        "Your comment was not published: it breaks our comment rules."
    ),
}


def _too_fast(request, email):
    """Whether this network, or this address, posted too much lately."""
    if not ratelimit.hit_address(request, "comment", defences.ip_limit()).allowed:
        return True
    limit = defences.email_limit()
    return bool(email) and not ratelimit.hit("comment-email", email, limit).allowed


@resendable(CommentForm, fresh={"ts": defences.form_token})
@require_POST
@_json_not_found
def post_comment(request, article_id):
    """Post a comment, a reply or feedback on a passage (`posting.submit`)."""
    article = _article(article_id)
    site_settings = _settings(request)
    user = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST, user=user)
    if not moderation.comments_open(article, site_settings):
        form.add_error(None, _("Comments on this article are closed."))
        return _rerender_article(request, article, form, 403)
    if not form.is_valid():
        return _rerender_article(request, article, form, 400)
    data = form.cleaned_data
    email = (user.email if user else data["email"]).strip().lower()
    if _too_fast(request, email):
        form.add_error(None, TOO_FAST)
        return _rerender_article(request, article, form, 429)
    # Known before the comment is written, so it is stored with it (votes on
    # one's own comment are refused by it, and it proves whose it is).
    reader = cookies.new_or_existing_reader_id(request)
    name = (user.get_full_name() or user.get_username()) if user else data["name"]
    try:
        comment = posting.submit(
            article,
            data,
            site_settings=site_settings,
            commenter=moderation.Commenter.of_request(request, email),
            name=name,
            ip_hash=Comment.hash_ip(client_ip(request)),
            browser=reader,
        )
    except posting.Refused as refused:
        form.add_error(None, refused.message)
        return _rerender_article(request, article, form, refused.status)
    return _posted(request, comment, reader, remember=None if user else data)


def _posted(request, comment, reader, remember):
    """Tell the author what became of their comment (in JSON, or where they
    land: at their comment if the page shows it), and give their browser its
    reader id, the right to edit it, and the name and address to `remember`."""
    message = POSTED_ANSWERS[comment.status]
    if _wants_json(request):
        response = JsonResponse(
            {"ok": True, "id": comment.pk, "status": comment.status, "message": message}
        )
    else:
        place = "comments"
        if comment.status == Comment.Status.APPROVED:
            place = _back_to(comment)[1]
        response = notices.redirect(request, comment.article.url, place, message)
    cookies.ensure_reader_id(request, response, reader)
    if comment.status != Comment.Status.REJECTED:
        cookies.grant_edit(request, response, comment)
    if remember is not None:
        cookies.remember_commenter(
            request, response, remember["name"], comment.email, remember.get("remember")
        )
    return response


def _back_to(comment):
    """(url, place) to send the reader back to: the comment if the article's
    page shows it, else the top of the comments (core/notices.py)."""
    shown = comment.status == Comment.Status.APPROVED and on_first_page(comment)
    return comment.article.url, f"comment-{comment.pk}" if shown else "comments"


def _own_comment(request, comment_id):
    # Rejected and spam comments stay as the moderators judged them.
    comment = get_object_or_404(public.comments(*posting.EDITABLE), pk=comment_id)
    if not cookies.can_edit(request, comment):
        raise Http404(_("You can no longer change this comment."))
    return comment


EDIT_ANSWERS = {  # a status the edit moved the comment to: what the author is told
    Comment.Status.PENDING: _(
        "Your comment has been changed; it will appear "
        "again once a moderator approves it."
    ),
    Comment.Status.REJECTED: _(
        "Your comment was changed, and breaks our comment rules now."
    ),
}


def edit_comment(request, comment_id):
    comment = _own_comment(request, comment_id)
    form = EditForm(
        request.POST if request.method == "POST" else None,
        initial={"text": comment.text},
    )
    if request.method == "POST" and form.is_valid():
        text, was = form.cleaned_data["text"], comment.status
        decision = moderation.decide(
            comment.article,
            _settings(request),
            text=text,
            commenter=moderation.Commenter.of_comment(request, comment),
        )
        posting.edit(comment, text, decision)
        changed = _("Your comment has been changed.")
        if comment.status != was:
            changed = EDIT_ANSWERS.get(comment.status, changed)
        return notices.redirect(request, *_back_to(comment), changed)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "comments/edit.html",
        {"comment": comment, "form": form, "article": comment.article},
        status=status,
    )


@require_POST
def delete_comment(request, comment_id):
    comment = _own_comment(request, comment_id)
    posting.delete(comment)
    return notices.redirect(
        request, comment.article.url, "comments", _("Your comment has been deleted.")
    )


VOTE_ANSWERS = {
    votes.COUNTED: (_("Thank you for your vote."), 200),
    votes.CHANGED: (_("Your vote is changed."), 200),
    votes.WITHDRAWN: (_("Your vote is withdrawn."), 200),
    votes.OWN: (_("You cannot vote on your own comment."), 403),
    votes.TAKEN: (
        _(
            "A vote from your connection already counts on this comment: each "
            "connection votes once."
        ),
        409,
    ),
    votes.CONFLICT: (_("Your vote crossed another one; look again and vote."), 409),
}


@require_http_methods(["GET", "POST"])
@_json_not_found
def vote(request, comment_id):
    """Vote up or down; the same vote again withdraws it.

    A browser without a reader id is shown a page that gives it one and asks it
    to confirm (a POST is sent there, JSON clients are told where it is).
    """
    comment = get_object_or_404(public.comments(), pk=comment_id)
    choice = (request.POST if request.method == "POST" else request.GET).get("value")
    voter = votes.voter_for(request)
    if request.method == "GET" or voter is None:
        return _confirm_vote(request, comment, choice)
    back = None if _wants_json(request) else _back_to(comment)
    if choice not in votes.VALUES:
        return _refuse(request, back, _("Choose up or down."), 400)
    result = votes.cast(comment, voter, votes.VALUES[choice])
    message, status = VOTE_ANSWERS[result.outcome]
    if status != 200:
        return _refuse(request, back, message, status)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": True,
                "score": result.score,
                "vote": votes.NAMES[result.vote],
                "message": message,
            }
        )
    return notices.redirect(request, *back, message)


@never_cache
def _confirm_vote(request, comment, choice):
    url = reverse("comments:vote", args=[comment.pk])
    if choice in votes.VALUES:
        url += "?" + urlencode({"value": choice})
    if request.method == "POST":
        if _wants_json(request):
            reason = _("Confirm your vote: this browser has no reader id yet.")
            return JsonResponse(
                {"ok": False, "reason": reason, "confirm_url": url}, status=403
            )
        return HttpResponseRedirect(url, status=303)
    response = render(
        request,
        "comments/vote_confirm.html",
        {"comment": comment, "article": comment.article, "choice": choice},
    )
    cookies.ensure_reader_id(request, response)
    return response


def _refuse(request, back, reason, status):
    """Say why not: in JSON, or at `back` (url, place on its page)."""
    if _wants_json(request):
        return JsonResponse({"ok": False, "reason": reason}, status=status)
    return notices.redirect(request, *back, reason, level=messages.WARNING)


@require_POST
@_json_not_found
def report(request, comment_id):
    comment = get_object_or_404(public.comments(), pk=comment_id)
    form = ReportForm(request.POST)
    back = None if _wants_json(request) else _back_to(comment)
    if not form.is_valid():
        return _refuse(request, back, _("Choose a reason for the report."), 400)
    Report.objects.create(comment=comment, **form.cleaned_data)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    thanks = _("Thank you: a moderator will look at this comment.")
    return notices.redirect(request, *back, thanks)


@require_GET
def all_comments(request, article_id):
    """ "View all comments": every thread, a page at a time, with the same
    actions as under the article (reply, report, vote, the comment form)."""
    article = _article(article_id)
    page_obj, sort = thread_page(
        article, request.GET.get("sort"), request.GET.get("page")
    )
    template = "comments/all.html"
    if request.GET.get("fragment"):
        # "Load more" in place: only the threads and the link to the next page.
        template = "comments/more.html"
    values = comment_area(
        request, article, page_obj, sort, messages=messages.get_messages(request)
    )
    # Named apart from the context processors' `user` (always set, so truthy).
    values |= {"all_pages": True, "comment_user": values.pop("user")}
    return render(request, template, values)


SUBSCRIBE_ANSWER = _(
    "Check your inbox: unless this address already follows these comments, a "
    "link to confirm is on its way, and notifications start once it is pressed."
)


@resendable(SubscribeForm)
@require_POST
@_json_not_found
def subscribe(request, article_id):
    """ "Notify me of new comments" without commenting."""
    article = _article(article_id)
    form = SubscribeForm(request.POST)
    back = (article.url, "comments")
    if not form.is_valid():
        return _refuse(request, back, _("Give an email address to notify."), 400)
    if not ratelimit.hit_address(request, "subscribe", defences.ip_limit()).allowed:
        return _refuse(
            request, back, _("Too many requests: wait a few minutes and retry."), 429
        )
    posting.follow(form.cleaned_data["email"], article, Subscription.Kind.ARTICLE)
    # One answer whatever the address's state: the page must not tell a
    # stranger who follows what.
    message = SUBSCRIBE_ANSWER
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    return notices.redirect(request, *back, message)


def _subscription_from(purpose, token, max_days=None, *, public_only=False):
    pk = tokens.read(purpose, token, max_days)
    subscriptions = Subscription.objects.select_related("article")
    if public_only:
        subscriptions = subscriptions.filter(article__in=public.articles())
    subscription = subscriptions.filter(pk=pk).first() if pk else None
    if subscription is None:
        raise Http404(_("This link is not valid (or has expired)."))
    return subscription


# What a confirmed subscription brings, in the words of the reader's choice.
CONFIRMED_ANSWERS = {
    Subscription.Kind.ARTICLE: _(
        "Confirmed: we will email you about new comments on this article."
    ),
    Subscription.Kind.REPLIES: _(
        "Confirmed: we will email you when someone replies to your comment."
    ),
}


def confirm_subscription(request, token):
    # Following an article that is no longer public starts nothing (and its
    # page would redirect there); leaving one always works (unsubscribe).
    subscription = _subscription_from(
        "confirm", token, tokens.CONFIRM_DAYS, public_only=True
    )
    if request.method == "POST":
        notify.confirm(subscription)
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


def check_address(request, token):
    """The mailed "did you write this?" link (notify.send_address_check): yes
    publishes the held comment, if the rules allow, and remembers this browser
    as the address's owner's."""
    value = tokens.read("address", token, tokens.CONFIRM_DAYS)
    pk, email = value if isinstance(value, list) and len(value) == 2 else (0, "")
    comment = public.comments(*Comment.Status.values).filter(pk=pk, email=email)
    comment = comment.first()
    if comment is None or comment.status == Comment.Status.DELETED:
        raise Http404(_("This link is not valid (or has expired)."))
    if request.method != "POST":
        waiting = posting.waits_for_its_address(comment)
        return render(
            request,
            "comments/address_check.html",
            {"comment": comment, "article": comment.article, "waiting": waiting},
        )
    posting.address_confirmed(comment, _settings(request))
    if comment.status == Comment.Status.APPROVED:
        message = _("Thank you: your comment is published.")
        anchor = _back_to(comment)[1]
    else:
        message = _("Thank you: your address is confirmed in this browser.")
        anchor = "comments"
    response = notices.redirect(request, comment.article.url, anchor, message)
    cookies.remember_confirmed(request, response, comment.email)
    return response


@csrf_exempt  # RFC 8058: mail clients POST here with no page and no cookie
def unsubscribe(request, token):
    subscription = _subscription_from("unsubscribe", token)
    if request.method == "POST":
        notify.end(subscription)
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
            notify.end(chosen)
            messages.info(request, _("Done: that subscription has ended."))
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "comments/subscriptions.html",
        {"email": email, "subscriptions": own.order_by("-created")},
    )


@resendable(EmailForm)
def my_comments_request(request):
    """Ask for a mailed link to everything posted with an address."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.hit_address(request, "mine", defences.ip_limit()).allowed:
            email = form.cleaned_data["email"].strip().lower()
            transaction.on_commit(
                lambda: tasks.send_own_comments_link.enqueue(email), robust=True
            )
        messages.info(
            request,
            _(
                "If comments were posted with that address, a link to them is "
                "on its way."
            ),
        )
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "comments/mine_request.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def my_comments(request, token):
    """List, export or delete everything posted with the address the link names."""
    email = tokens.read("mine", token, tokens.LINK_DAYS)
    if not email:
        raise Http404(_("This link is not valid (or has expired)."))
    if request.method == "POST":
        count = posting.erase(email)
        messages.info(request, f"Deleted {count} comment{'s' if count != 1 else ''}.")
        return HttpResponseRedirect(request.path)
    own = Comment.objects.filter(email__iexact=email).exclude(
        status=Comment.Status.DELETED
    )
    rows = own.select_related("article").order_by("-created")
    if request.GET.get("format") == "json":
        data = [
            {
                "id": c.pk,
                "article": c.article.title,
                "url": mail.absolute(c.article.url + f"#comment-{c.pk}"),
                "name": c.name,
                "text": c.text,
                "status": c.status,
                "created": c.created.isoformat(),
                "in_reply_to": c.parent_id,
            }
            for c in rows
        ]
        response = JsonResponse({"email": email, "comments": data})
        response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
        return response
    return render(request, "comments/mine.html", {"email": email, "comments": rows})
