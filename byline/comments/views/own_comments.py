""" "Your comments": a mailed link to everything posted with an address, to
read, export (JSON) or erase."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from byline.comments import defences, posting, tasks, tokens
from byline.comments.forms import EmailForm
from byline.core import ratelimit
from byline.core.resend import resendable

# One answer whatever the address: the page must not tell who has commented.
LINK_ON_ITS_WAY = _(
    "If comments were posted with that address, a link to them is on its way."
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
        messages.info(request, LINK_ON_ITS_WAY)
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
        deleted = ngettext(
            "Deleted %(count)d comment.", "Deleted %(count)d comments.", count
        )
        messages.info(request, deleted % {"count": count})
        return HttpResponseRedirect(request.path)
    rows = posting.own_comments(email)
    if request.GET.get("format") == "json":
        data = [posting.exported(comment) for comment in rows]
        response = JsonResponse({"email": email, "comments": data})
        response["Content-Disposition"] = 'attachment; filename="my-comments.json"'
        return response
    return render(request, "comments/mine.html", {"email": email, "comments": rows})
