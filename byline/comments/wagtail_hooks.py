"""The moderation queue in Wagtail's admin: filter, read in context, act in bulk."""

import django_filters
from django.db.models import Count, Exists, OuterRef
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from byline.comments.models import Comment, Report
from byline.comments.signals import approved, recount


class CommentFilterSet(WagtailFilterSet):
    article = django_filters.CharFilter(
        field_name="article__title", lookup_expr="icontains", label="Article headline"
    )
    reported = django_filters.BooleanFilter(
        label="Reported by readers", method="filter_reported"
    )

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        open_reports = Report.objects.filter(comment=OuterRef("pk"), resolved=False)
        return queryset.filter(Exists(open_reports) if value else ~Exists(open_reports))

    class Meta:
        model = Comment
        fields = ["status", "featured"]


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 250
    add_to_admin_menu = True
    list_display = [
        TitleColumn(
            "excerpt",
            label="Comment",
            accessor="excerpt",
            url_name="wagtailsnippets_comments_comment:edit",
        ),
        "name",
        "article",
        "status",
        "moderation_note",
        Column("reports", label="Reports", accessor="report_count"),
        "created",
    ]
    list_per_page = 50
    ordering = ["-created"]
    copy_view_enabled = False
    filterset_class = CommentFilterSet
    panels = [
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
    ]

    def get_queryset(self, request):
        return (
            Comment.objects.select_related("article", "parent")
            .annotate(report_count=Count("reports"))
            .order_by("-created")
        )


register_snippet(CommentViewSet)


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
        ids = [c.pk for c in objects]
        newly = [c.pk for c in objects if c.status != cls.status]
        Comment.objects.filter(pk__in=ids).update(status=cls.status)
        # A moderator has looked: the readers' reports on these are dealt with.
        Report.objects.filter(comment_id__in=ids).update(resolved=True)
        recount({c.article_id for c in objects})
        if cls.status == Comment.Status.APPROVED:
            approved(newly)
        return len(ids), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} comment(s) marked {self.display_name.lower()}."


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
