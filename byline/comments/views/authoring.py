"""Writing comments: post one (a reply, or feedback on a passage), edit or
delete one's own, and the mailed "did you write this?" link."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from byline.comments import cookies, defences, moderation, posting, public, tokens
from byline.comments.forms import CommentForm, EditForm
from byline.comments.models import Comment
from byline.comments.views.all_comments import page_of_threads
from byline.comments.views.answers import (
    back_to,
    comment_settings,
    json_not_found,
    listing,
    public_article,
    wants_json,
)
from byline.core import notices, ratelimit
from byline.core.clientip import client_ip
from byline.core.resend import resendable

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
EDIT_ANSWERS = {  # a status the edit moved the comment to: what the author is told
    Comment.Status.PENDING: _(
        "Your comment has been changed; it will appear "
        "again once a moderator approves it."
    ),
    Comment.Status.REJECTED: _(
        "Your comment was changed, and breaks our comment rules now."
    ),
}


def _rerender_article(request, article, form, status):
    """Show the page the form was on again (the article, or the "View all
    comments" page it came from) with the form, its errors and what the
    reader typed."""
    if wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": form.errors.get_json_data()}, status=status
        )
    found = listing(request)
    if found is not None:
        sort, page = found
        return page_of_threads(request, article, sort, page, form=form, status=status)
    context = article.get_context(request)
    context["comment_form"] = form
    return TemplateResponse(
        request, article.get_template(request), context, status=status
    )


def _too_fast(request, email):
    """Whether this network, or this address, posted too much lately."""
    if not ratelimit.hit_address(request, "comment", defences.ip_limit()).allowed:
        return True
    limit = defences.email_limit()
    return bool(email) and not ratelimit.hit("comment-email", email, limit).allowed


@resendable(CommentForm, fresh={"ts": defences.form_token})
@require_POST
@json_not_found
def post_comment(request, article_id):
    """Post a comment, a reply or feedback on a passage (`posting.submit`)."""
    article = public_article(article_id)
    site_settings = comment_settings(request)
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
    if wants_json(request):
        response = JsonResponse(
            {"ok": True, "id": comment.pk, "status": comment.status, "message": message}
        )
    else:
        # Back where the form was (the article, or a "View all comments"
        # page), at the new comment once it is shown.
        url, place = back_to(comment, request)
        response = notices.redirect(request, url, place, message)
    cookies.ensure_reader_id(request, response, reader)
    if comment.status != Comment.Status.REJECTED:
        cookies.grant_edit(request, response, comment)
    if remember is not None:
        cookies.remember_commenter(
            request, response, remember["name"], comment.email, remember.get("remember")
        )
    return response


def _own_comment(request, comment_id):
    # Rejected and spam comments stay as the moderators judged them.
    comment = get_object_or_404(public.comments(*posting.EDITABLE), pk=comment_id)
    if not cookies.can_edit(request, comment):
        raise Http404(_("You can no longer change this comment."))
    return comment


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
            comment_settings(request),
            text=text,
            commenter=moderation.Commenter.of_comment(request, comment),
        )
        posting.edit(comment, text, decision)
        changed = _("Your comment has been changed.")
        if comment.status != was:
            changed = EDIT_ANSWERS.get(comment.status, changed)
        return notices.redirect(request, *back_to(comment), changed)
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


def check_address(request, token):
    """The mailed "did you write this?" link (notifications.send_address_check):
    yes publishes the held comment, if the rules allow, and remembers this
    browser as the address's owner's."""
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
    posting.address_confirmed(comment, comment_settings(request))
    if comment.status == Comment.Status.APPROVED:
        message = _("Thank you: your comment is published.")
        anchor = back_to(comment)[1]
    else:
        message = _("Thank you: your address is confirmed in this browser.")
        anchor = "comments"
    response = notices.redirect(request, comment.article.url, anchor, message)
    cookies.remember_confirmed(request, response, comment.email)
    return response
