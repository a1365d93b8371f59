"""Moderation in the admin beyond Wagtail's listing: a verdict on one row, and a
moderator's reply published under their own name."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from byline.comments import moderation
from byline.comments.models import Comment

QUEUE = "wagtailsnippets_comments_comment:list"


def _check(user):
    if not user.has_perm("comments.change_comment"):
        raise PermissionDenied


def _next_url(request):
    """Where to go back to: the queue as the moderator left it (filters, page)."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(QUEUE)


@require_POST
def moderate(request, pk):
    """Approve, reject or mark as spam one comment, from its row in the queue."""
    _check(request.user)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    verdict = moderation.VERDICTS.get(request.POST.get("action", ""))
    if comment.status == Comment.Status.DELETED:
        messages.error(request, "Its author deleted this comment; it stays deleted.")
        return redirect(_next_url(request))
    if verdict is None:
        messages.error(request, "Choose Approve, Reject or Spam.")
        return redirect(_next_url(request))
    judge, _, done = verdict
    judge([comment])
    messages.success(request, f"The comment by {comment.name} was {done}.")
    return redirect(_next_url(request))


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Published at once under your name, as a reply in the thread.",
    )


class ReplyView(WagtailAdminTemplateMixin, FormView):
    """A moderator answers a reader from the admin, as WordPress's quick reply."""

    form_class = ReplyForm
    template_name = "comments/admin/reply.html"
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        _check(request.user)
        self.comment = get_object_or_404(moderation.answerable(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Reply to {self.comment.name}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(QUEUE), "label": "Comments"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        held = self.comment.status != Comment.Status.APPROVED
        next_url = _next_url(self.request)
        context = super().get_context_data(**kwargs)
        return context | {"comment": self.comment, "next": next_url, "held": held}

    def form_valid(self, form):
        text = form.cleaned_data["text"]
        reply = moderation.reply_as_staff(self.comment, self.request.user, text)
        _say_published(self.request, self.comment, reply)
        return redirect(_next_url(self.request))


def _say_published(request, comment, reply):
    """Tell the moderator their reply is out, with a link to it on the page."""
    url = comment.article.url
    see = [messages.button(f"{url}#comment-{reply.pk}", "See it")] if url else None
    messages.success(
        request, f"Your reply to {comment.name} is published.", buttons=see
    )
