"""Reacting to a comment: vote up or down, report it to the moderators."""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from byline.comments import cookies, public, votes
from byline.comments.forms import ReportForm
from byline.comments.models import Report
from byline.comments.views.answers import (
    back_to,
    done,
    json_not_found,
    listing,
    listing_query,
    refuse,
    wants_json,
)
from byline.core import notices

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
@json_not_found
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
    back = None if wants_json(request) else back_to(comment, request)
    if choice not in votes.VALUES:
        return refuse(request, back, _("Choose up or down."), 400)
    result = votes.cast(comment, voter, votes.VALUES[choice])
    message, status = VOTE_ANSWERS[result.outcome]
    if status != 200:
        return refuse(request, back, message, status)
    score, name = result.score, votes.NAMES[result.vote]
    return done(request, back, message, score=score, vote=name)


@never_cache
def _confirm_vote(request, comment, choice):
    # The confirm page posts to its own address: the vote, and the "View all
    # comments" page to come back to, travel in its query.
    query = {"value": choice} if choice in votes.VALUES else {}
    query = "&".join(filter(None, [urlencode(query), listing_query(request)]))
    url = reverse("comments:vote", args=[comment.pk])
    url += f"?{query}" if query else ""
    if request.method == "POST":
        if wants_json(request):
            reason = _("Confirm your vote: this browser has no reader id yet.")
            return JsonResponse(
                {"ok": False, "reason": reason, "confirm_url": url}, status=403
            )
        return HttpResponseRedirect(url, status=303)
    response = render(
        request,
        "comments/vote_confirm.html",
        {
            "comment": comment,
            "article": comment.article,
            "choice": choice,
            "back": "#".join(back_to(comment, request)),
            "back_is_listing": listing(request) is not None,
        },
    )
    cookies.ensure_reader_id(request, response)
    return response


@require_POST
@json_not_found
def report(request, comment_id):
    comment = get_object_or_404(public.comments(), pk=comment_id)
    form = ReportForm(request.POST)
    back = None if wants_json(request) else back_to(comment, request)
    if not form.is_valid():
        return refuse(request, back, _("Choose a reason for the report."), 400)
    Report.objects.create(comment=comment, **form.cleaned_data)
    if wants_json(request):
        return JsonResponse({"ok": True})
    thanks = _("Thank you: a moderator will look at this comment.")
    return notices.redirect(request, *back, thanks)
