"""The newsroom's roles: Reporters draft, Editors review and publish.

Run after every `migrate` so that a fresh install, the demo and the tests all
get the same groups and the same review workflow.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from byline.news.models import Author

REPORTERS = "Reporters"
EDITORS = "Editors"
WORKFLOW_NAME = "Editorial review"

PAGE_PERMISSIONS = {
    REPORTERS: ["add", "change"],
    EDITORS: ["add", "change", "publish", "lock", "unlock", "bulk_delete"],
}
IMAGE_PERMISSIONS = {
    REPORTERS: ["add_image", "choose_image"],
    EDITORS: ["add_image", "change_image", "choose_image", "delete_image"],
}
MODEL_PERMISSIONS = {
    REPORTERS: ["view_author"],
    EDITORS: ["add_author", "change_author", "view_author"],
}


def ensure_newsroom_roles(**kwargs):
    """Create or complete the Reporters and Editors groups and the review workflow."""
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    if root is None or collection is None:
        return
    with transaction.atomic():
        groups = {
            name: Group.objects.get_or_create(name=name)[0] for name in PAGE_PERMISSIONS
        }
        access_admin = Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        )
        for name, group in groups.items():
            group.permissions.add(access_admin)
            group.permissions.add(
                *(_permission(Author, codename) for codename in MODEL_PERMISSIONS[name])
            )
            for permission_type in PAGE_PERMISSIONS[name]:
                permission = _permission(Page, f"{permission_type}_page")
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root, permission=permission
                )
            for codename in IMAGE_PERMISSIONS[name]:
                permission = _permission(get_image_model(), codename)
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permission
                )
        _ensure_review_workflow(root, groups[EDITORS])


def _permission(model, codename):
    """Return a model permission, creating it if post_migrate has not reached it yet.

    post_migrate runs app by app, so when it reaches us the permissions of apps
    listed after `news` may not exist yet.
    """
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    action, _, _ = codename.partition("_")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {action.replace('_', ' ')} {model._meta.verbose_name}"},
    )
    return permission


def _ensure_review_workflow(root, editors):
    """Make every page go through an Editors' approval before it is published."""
    task, _ = GroupApprovalTask.objects.get_or_create(name="Editor approval")
    task.groups.add(editors)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
