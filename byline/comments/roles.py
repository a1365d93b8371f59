"""Editors moderate comments: they get the permissions the admin queue needs."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from byline.comments.models import Comment

EDITORS = "Editors"
CODENAMES = ["view_comment", "change_comment", "delete_comment"]


def grant_moderation(**kwargs):
    group = Group.objects.filter(name=EDITORS).first()
    if group is None:
        return
    content_type = ContentType.objects.get_for_model(Comment)
    for codename in CODENAMES:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": f"Can {codename.replace('_', ' ')}"},
        )
        group.permissions.add(permission)
