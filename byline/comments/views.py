"""Posting, editing, voting on and reporting comments; the "View all comments" page.

Every mutation is a POST with CSRF protection that redirects with a message, so
everything works without JavaScript; a request that asks for JSON
(`Accept: application/json`) gets JSON instead, with a reason on error.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.rich_text import expand_db_html

from byline.comments import (
    anchors,
    cookies,
    defences,
    mail,
    notify,
    policy,
    rules,
    tasks,
    tokens,
)
from byline.comments.forms import (
    SORTS,
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
    Vote,
)
from byline.comments.signals import comments_changed, recount
from byline.comments.state import comments_open
from byline.comments.threads import thread_page
from byline.core.clientip import client_ip
from byline.core.privacy import public
from byline.news.models import ArticlePage


def _article(article_id):
    articles = public(ArticlePage.objects.live()).select_related("section")
    return get_object_or_404(articles, pk=article_id)


def _settings(request):
    return rules.for_request(request)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _client_ip(request):
    return client_ip(request)


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


@require_POST
def post_comment(request, article_id):
    article = _article(article_id)
    site_settings = _settings(request)
    user = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST, user=user)
    if not comments_open(article, site_settings):
        form.add_error(None, "Comments on this article are closed.")
        return _rerender_article(request, article, form, 403)
    if not form.is_valid():
        return _rerender_article(request, article, form, 400)

    data = form.cleaned_data
    email = (user.email if user else data["email"]).strip().lower()
    ip_hash = Comment.hash_ip(_client_ip(request))
    if defences.over_limit("ip", ip_hash, defences.ip_limit()) or (
        email and defences.over_limit("email", email, defences.email_limit())
    ):
        form.add_error(
            None,
            "You have posted a lot in a short time. Wait a few minutes and send "
            "again; your comment is still in the box.",
        )
        return _rerender_article(request, article, form, 429)

    parent = None
    if data.get("parent"):
        parent = (
            Comment.objects.approved()
            .filter(article=article, pk=data["parent"])
            .select_related("root")
            .first()
        )
        if parent is None:
            form.add_error(None, "The comment you replied to is no longer there.")
            return _rerender_article(request, article, form, 400)
        if parent.root.replies_closed:
            form.add_error(None, "The editors have closed this thread to replies.")
            return _rerender_article(request, article, form, 403)
        # Replies past the deepest level join the last level of the thread.
        while parent.depth >= site_settings.max_depth and parent.parent_id:
            parent = parent.parent

    anchor = None
    if data.get("quote", "").strip():
        anchor = anchors.locate(
            anchors.text_of(expand_db_html(article.body)),
            data["quote"],
            data.get("quote_prefix", ""),
            data.get("quote_suffix", ""),
        )
        if anchor.state == anchors.LOST:
            form.add_error(
                None,
                "We could not find the passage you selected in the article; it may "
                "have just changed. Select it again, or post without it.",
            )
            return _rerender_article(request, article, form, 400)

    decision = policy.decide(
        article, site_settings, text=data["text"], email=email, user=user
    )
    # Known before the comment is written, so it is stored with it (votes on
    # one's own comment are refused by it).
    reader = cookies.new_or_existing_reader_id(request)
    # One transaction: a comment is saved whole (root, subscription) or not at
    # all, so a database failure midway answers 503 with nothing kept.
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=parent,
            root=parent.root if parent else None,
            depth=parent.depth + 1 if parent else 1,
            user=user,
            name=(user.get_full_name() or user.get_username())
            if user
            else data["name"],
            email=email,
            text=data["text"],
            status=decision.status,
            moderation_note=decision.note,
            ip_hash=ip_hash,
            browser=reader,
            **(
                {
                    "quote": anchors.SPACE.sub(" ", data["quote"]).strip(),
                    "quote_prefix": data.get("quote_prefix", "")[-100:],
                    "quote_suffix": data.get("quote_suffix", "")[:100],
                    "anchor_start": anchor.start,
                    "anchor_end": anchor.end,
                    "anchor_state": anchor.state,
                }
                if anchor
                else {}
            ),
        )
        if comment.root_id is None:
            Comment.objects.filter(pk=comment.pk).update(root=comment)
            comment.root_id = comment.pk
        if data.get("notify") and email and decision.status != Comment.Status.REJECTED:
            kind = data["notify"]
            _start_subscription(
                email, article, kind, comment if kind == "replies" else None
            )

    if decision.status == Comment.Status.APPROVED:
        message = "Thank you: your comment is published."
        anchor = f"#comment-{comment.pk}"
    elif decision.status == Comment.Status.PENDING:
        message = "Thank you: your comment will appear once a moderator approves it."
        anchor = "#comments"
    else:
        message = "Your comment was not published: it breaks our comment rules."
        anchor = "#comments"
    if _wants_json(request):
        response = JsonResponse(
            {"ok": True, "id": comment.pk, "status": comment.status, "message": message}
        )
    else:
        messages.info(request, message)
        response = HttpResponseRedirect(article.url + anchor)
    cookies.ensure_reader_id(request, response, reader)
    if decision.status != Comment.Status.REJECTED:
        cookies.grant_edit(request, response, comment)
    return response


def _own_comment(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.select_related("article"), pk=comment_id
    )
    if not cookies.can_edit(request, comment):
        raise Http404("You can no longer change this comment.")
    return comment


def edit_comment(request, comment_id):
    comment = _own_comment(request, comment_id)
    form = EditForm(
        request.POST if request.method == "POST" else None,
        initial={"text": comment.text},
    )
    if request.method == "POST" and form.is_valid():
        site_settings = _settings(request)
        decision = policy.decide(
            comment.article,
            site_settings,
            text=form.cleaned_data["text"],
            email=comment.email,
            user=comment.user,
        )
        # An edit can make an approved comment need review again; never the reverse.
        status = comment.status
        if decision.status != Comment.Status.APPROVED:
            status, note = decision.status, decision.note
        else:
            note = comment.moderation_note
        Comment.objects.filter(pk=comment.pk).update(
            text=form.cleaned_data["text"],
            edited=timezone.now(),
            status=status,
            moderation_note=note,
        )
        recount([comment.article_id])
        messages.info(request, "Your comment has been changed.")
        return HttpResponseRedirect(comment.article.url + f"#comment-{comment.pk}")
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
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.DELETED, text="")
    recount([comment.article_id])
    messages.info(request, "Your comment has been deleted.")
    return HttpResponseRedirect(comment.article.url + "#comments")


@require_POST
def vote(request, comment_id):
    comment = get_object_or_404(Comment.objects.approved(), pk=comment_id)
    value = {"up": 1, "down": -1}.get(request.POST.get("value"))
    response = HttpResponseRedirect(comment.article.url + f"#comment-{comment.pk}")
    if value is None:
        return _refuse(request, response, "Choose up or down.", 400)
    key = cookies.voter_key(request)
    if key is None:
        key = "browser:" + cookies.ensure_reader_id(request, response)
    own = (request.user.is_authenticated and comment.user_id == request.user.pk) or (
        comment.browser and key == f"browser:{comment.browser}"
    )
    if own:
        return _refuse(request, response, "You cannot vote on your own comment.", 403)
    try:
        with transaction.atomic():
            Vote.objects.create(comment=comment, voter=key, value=value)
            Comment.objects.filter(pk=comment.pk).update(score=F("score") + value)
            comments_changed.send(sender=Comment, article_ids=[comment.article_id])
    except IntegrityError:
        return _refuse(
            request, response, "You have already voted on this comment.", 409
        )
    if _wants_json(request):
        comment.refresh_from_db(fields=["score"])
        json = JsonResponse({"ok": True, "score": comment.score})
        for cookie in response.cookies.values():
            json.cookies[cookie.key] = cookie
        return json
    messages.info(request, "Thank you for your vote.")
    return response


def _refuse(request, response, reason, status):
    if _wants_json(request):
        return JsonResponse({"ok": False, "reason": reason}, status=status)
    messages.warning(request, reason)
    return response


@require_POST
def report(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.filter(status__in=[Comment.Status.APPROVED]), pk=comment_id
    )
    form = ReportForm(request.POST)
    response = HttpResponseRedirect(comment.article.url + f"#comment-{comment.pk}")
    if not form.is_valid():
        return _refuse(request, response, "Choose a reason for the report.", 400)
    Report.objects.create(comment=comment, **form.cleaned_data)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    messages.info(request, "Thank you: a moderator will look at this comment.")
    return response


@require_GET
def all_comments(request, article_id):
    """ "View all comments": every thread, a page at a time."""
    article = _article(article_id)
    page_obj, sort = thread_page(
        article, request.GET.get("sort"), request.GET.get("page")
    )
    template = "comments/all.html"
    if request.GET.get("fragment"):
        # "Load more" in place: only the threads and the link to the next page.
        template = "comments/more.html"
    return render(
        request,
        template,
        {
            "article": article,
            "page_obj": page_obj,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "edit_grants": cookies.edit_grants(request),
        },
    )


def _start_subscription(email, article, kind, comment=None):
    subscription, mail_needed = notify.subscribe(email, article, kind, comment)
    if mail_needed:
        pk = subscription.pk
        transaction.on_commit(lambda: tasks.send_confirmation.enqueue(pk), robust=True)
    return subscription


@require_POST
def subscribe(request, article_id):
    """ "Notify me of new comments" without commenting."""
    article = _article(article_id)
    form = SubscribeForm(request.POST)
    response = HttpResponseRedirect(article.url + "#comments")
    if not form.is_valid():
        return _refuse(request, response, "Give an email address to notify.", 400)
    if defences.over_limit(
        "subscribe", Comment.hash_ip(_client_ip(request)), defences.ip_limit()
    ):
        return _refuse(
            request, response, "Too many requests: wait a few minutes and retry.", 429
        )
    subscription = _start_subscription(
        form.cleaned_data["email"], article, Subscription.Kind.ARTICLE
    )
    message = (
        "You already get these notifications."
        if subscription.confirmed
        else "Check your inbox: confirm by the link we sent, and notifications start."
    )
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": message})
    messages.info(request, message)
    return response


def _subscription_from(purpose, token, max_days=None):
    pk = tokens.read(purpose, token, max_days)
    subscription = (
        Subscription.objects.select_related("article").filter(pk=pk).first()
        if pk
        else None
    )
    if subscription is None:
        raise Http404("This link is not valid (or has expired).")
    return subscription


def confirm_subscription(request, token):
    subscription = _subscription_from("confirm", token, tokens.CONFIRM_DAYS)
    if request.method == "POST":
        notify.confirm(subscription)
        messages.info(request, "Confirmed: we will tell you about new comments.")
        return HttpResponseRedirect(subscription.article.url + "#comments")
    return render(
        request,
        "comments/subscription_confirm.html",
        {"subscription": subscription},
    )


@csrf_exempt  # RFC 8058: mail clients POST here with no page and no cookie
def unsubscribe(request, token):
    subscription = _subscription_from("unsubscribe", token)
    if request.method == "POST":
        notify.end(subscription)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        messages.info(request, "Done: no more notifications of this kind.")
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
        raise Http404("This link is not valid.")
    own = Subscription.objects.filter(email=email, ended=None).select_related(
        "article", "comment"
    )
    if request.method == "POST":
        chosen = own.filter(pk=request.POST.get("subscription")).first()
        if chosen is not None:
            notify.end(chosen)
            messages.info(request, "Done: that subscription has ended.")
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "comments/subscriptions.html",
        {"email": email, "subscriptions": own.order_by("-created")},
    )


def my_comments_request(request):
    """Ask for a mailed link to everything posted with an address."""
    form = EmailForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not defences.over_limit(
            "mine", Comment.hash_ip(_client_ip(request)), defences.ip_limit()
        ):
            email = form.cleaned_data["email"].strip().lower()
            transaction.on_commit(
                lambda: tasks.send_own_comments_link.enqueue(email), robust=True
            )
        messages.info(
            request,
            "If comments were posted with that address, a link to them is on its way.",
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
        raise Http404("This link is not valid (or has expired).")
    own = Comment.objects.filter(email__iexact=email).exclude(
        status=Comment.Status.DELETED
    )
    if request.method == "POST":
        articles = set(own.values_list("article_id", flat=True))
        count = own.update(status=Comment.Status.DELETED, text="", name="", email="")
        Subscription.objects.filter(email=email, ended=None).update(
            ended=timezone.now()
        )
        recount(articles)
        messages.info(request, f"Deleted {count} comment{'s' if count != 1 else ''}.")
        return HttpResponseRedirect(request.path)
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
