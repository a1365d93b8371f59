"""Posting, editing, voting on and reporting comments; the "View all comments" page.

Every mutation is a POST with CSRF protection that redirects with a message, so
everything works without JavaScript; a request that asks for JSON
(`Accept: application/json`) gets JSON instead, with a reason on error.
"""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from byline.comments import cookies, defences, policy
from byline.comments.forms import SORTS, CommentForm, EditForm, ReportForm
from byline.comments.models import Comment, CommentSettings, Report, Vote
from byline.comments.signals import recount
from byline.comments.state import comments_open
from byline.comments.threads import thread_page
from byline.core.privacy import public
from byline.news.models import ArticlePage


def _article(article_id):
    articles = public(ArticlePage.objects.live()).select_related("section")
    return get_object_or_404(articles, pk=article_id)


def _settings(request):
    return CommentSettings.for_request(request)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


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
    if defences.over_limit("ip", ip_hash, defences.IP_LIMIT) or (
        email and defences.over_limit("email", email, defences.EMAIL_LIMIT)
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
        # Replies past the deepest level join the last level of the thread.
        while parent.depth >= site_settings.max_depth and parent.parent_id:
            parent = parent.parent

    decision = policy.decide(
        article, site_settings, text=data["text"], email=email, user=user
    )
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        root=parent.root if parent else None,
        depth=parent.depth + 1 if parent else 1,
        user=user,
        name=(user.get_full_name() or user.get_username()) if user else data["name"],
        email=email,
        text=data["text"],
        status=decision.status,
        moderation_note=decision.note,
        ip_hash=ip_hash,
        browser=cookies.reader_id(request) or "",
    )
    if comment.root_id is None:
        Comment.objects.filter(pk=comment.pk).update(root=comment)
        comment.root_id = comment.pk

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
    reader = cookies.ensure_reader_id(request, response)
    if not comment.browser:
        Comment.objects.filter(pk=comment.pk).update(browser=reader)
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
    form = EditForm(request.POST or None, initial={"text": comment.text})
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
    return render(
        request,
        "comments/all.html",
        {
            "article": article,
            "page_obj": page_obj,
            "sort": sort,
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "edit_grants": cookies.edit_grants(request),
        },
    )
