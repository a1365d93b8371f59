"""The moderation queue in Wagtail's admin: filter, read in context, act on one
comment or many, reply; a count of waiting comments in the menu and a panel of
them on the dashboard."""

import django_filters
from django.db.models import Count, Exists, OuterRef
from django.middleware.csrf import get_token
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from byline.comments import admin_views, moderation
from byline.comments.models import Comment, Report

PANEL_SIZE = 5


class CommentFilterSet(WagtailFilterSet):
    waiting = django_filters.BooleanFilter(
        label="Waiting for a moderator", method="filter_waiting"
    )
    article = django_filters.CharFilter(
        field_name="article__title", lookup_expr="icontains", label="Article headline"
    )
    reported = django_filters.BooleanFilter(
        label="Reported by readers", method="filter_reported"
    )

    def filter_waiting(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = moderation.waiting().values("pk")
        return (
            queryset.filter(pk__in=waiting)
            if value
            else queryset.exclude(pk__in=waiting)
        )

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        open_reports = Report.objects.filter(comment=OuterRef("pk"), resolved=False)
        return queryset.filter(Exists(open_reports) if value else ~Exists(open_reports))

    class Meta:
        model = Comment
        fields = ["status", "featured"]


class CommentReviewForm(WagtailAdminModelForm):
    """The moderator's form: saving it is judging these words (posting.edit).

    The status chosen is given as a verdict (`moderation.review`), which counts,
    tells the page cache and mails as every other screen's verdict does.
    """

    def save(self, commit=True):
        status = self.instance.status
        # Read before the form's values were put on the instance.
        was = Comment.objects.filter(pk=self.instance.pk).values_list(
            "status", flat=True
        )
        self.instance.status = was.first() or status
        comment = super().save(commit=commit)
        if commit:
            moderation.review(comment, status)
        return comment


class CommentColumn(Column):
    """The comment as a moderator needs it: its words, the passage it is about,
    what it answers, and the verdicts as buttons on the row."""

    cell_template_name = "comments/admin/comment_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context.update(
            comment=instance,
            edit_url=reverse(CommentViewSet.url("edit"), args=[instance.pk]),
            moderate_url=reverse(CommentViewSet.url("moderate"), args=[instance.pk]),
            reply_url=reverse(CommentViewSet.url("reply"), args=[instance.pk]),
            next=request.get_full_path(),
            csrf_token=get_token(request),
            verdicts=[
                (action, label)
                for action, label in (
                    ("approve", "Approve"),
                    ("reject", "Reject"),
                    ("spam", "Spam"),
                )
                if moderation.VERDICTS[action][1] != instance.status
                and instance.status != Comment.Status.DELETED
            ],
            can_reply=instance.status != Comment.Status.DELETED,
        )
        return context


class CommentsMenuItem(MenuItem):
    """ "Comments" in the menu, with the number waiting for a moderator."""

    def is_shown(self, request):
        return request.user.has_perm("comments.change_comment")

    def render_component(self, request):
        attrs = dict(self.attrs)
        count = moderation.waiting().count()
        if count:
            attrs["data-waiting"] = str(count)
            attrs["aria-label"] = f"{self.label}, {count} waiting"
        return LinkMenuItem(
            self.name,
            self.label,
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=attrs,
        )


# The edit form: a moderator changes the standing, never the reader's words.
REVIEW_PANELS = ObjectList(
    [
        FieldRowPanel(
            [
                FieldPanel("status"),
                FieldPanel("featured"),
                FieldPanel("replies_closed"),
            ]
        ),
        FieldPanel("moderation_note", read_only=True),
        MultiFieldPanel(
            [
                FieldPanel("article", read_only=True),
                FieldPanel("parent", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("text", read_only=True),
                FieldPanel("quote", read_only=True),
            ],
            "The comment",
        ),
    ],
    base_form_class=CommentReviewForm,
)


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 250
    menu_item_class = CommentsMenuItem
    add_to_admin_menu = True
    # /admin/comments/, not Wagtail's /admin/snippets/comments/comment/.
    url_prefix = "comments"
    index_template_name = "comments/admin/index.html"
    list_display = [
        CommentColumn("text", label="Comment"),
        "name",
        Column("article", label="Article", accessor="article.title"),
        Column("status", label="Status", accessor="get_status_display"),
        "moderation_note",
        Column("reports", label="Reports", accessor="report_count"),
        "created",
    ]
    list_per_page = 50
    ordering = ["-created"]
    copy_view_enabled = False
    filterset_class = CommentFilterSet
    edit_handler = REVIEW_PANELS

    @classmethod
    def url(cls, view_name):
        return f"wagtailsnippets_comments_comment:{view_name}"

    def get_queryset(self, request):
        return (
            Comment.objects.select_related("article", "parent")
            .annotate(report_count=Count("reports"))
            .order_by("-created")
        )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/moderate/", admin_views.moderate, name="moderate"),
            path("<int:pk>/reply/", admin_views.ReplyView.as_view(), name="reply"),
        ]


register_snippet(CommentViewSet)


class WaitingCommentsPanel(Component):
    """The dashboard's list of the latest held and reported comments."""

    name = "waiting_comments"
    template_name = "comments/admin/waiting_panel.html"
    order = 20

    def get_context_data(self, parent_context):
        waiting = moderation.waiting()
        latest = waiting.select_related("article").order_by("-created")
        return {
            "count": waiting.count(),
            "comments": list(latest[:PANEL_SIZE]),
            "queue_url": reverse(CommentViewSet.url("list")) + "?waiting=true",
            "edit_url_name": CommentViewSet.url("edit"),
            "reply_url_name": CommentViewSet.url("reply"),
        }


@hooks.register("after_delete_snippet")
def recount_after_delete(request, instances):
    """Comments deleted in the admin (one, or in bulk) leave their articles'
    counts and cached pages: the one route for deletes, as for verdicts."""
    articles = {c.article_id for c in instances if isinstance(c, Comment)}
    if articles:
        moderation.recount(articles)


@hooks.register("construct_homepage_panels")
def add_waiting_comments_panel(request, panels):
    if request.user.has_perm("comments.change_comment"):
        panels.append(WaitingCommentsPanel())


class _StatusAction(SnippetBulkAction):
    models = [Comment]
    template_name = "comments/admin/confirm_bulk_status.html"
    status = None

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        return moderation.judge(objects, cls.status), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        noun = "comment" if num_parent_objects == 1 else "comments"
        done = moderation.VERDICTS[self.action_type][2]
        return f"{num_parent_objects} {noun} {done}."


@hooks.register("register_bulk_action")
class ApproveAction(_StatusAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    status = Comment.Status.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectAction(_StatusAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected comments"
    status = Comment.Status.REJECTED
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamAction(_StatusAction):
    display_name = "Spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    status = Comment.Status.SPAM
    action_priority = 25


# After Wagtail's own registration (order 0), so that for comments this one is
# used: the same deletion, said in the newsroom's words, not "snippets".
@hooks.register("register_bulk_action", order=1)
class DeleteCommentsAction(DeleteBulkAction):
    models = [Comment]
    aria_label = "Delete the selected comments"
