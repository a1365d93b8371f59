"""The admin's look: local initials avatars and the newsroom's admin styles."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from byline.core.avatars import avatar_data_url


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    # An avatar the user uploaded to their Wagtail profile still wins.
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return avatar_data_url(user, size)


@hooks.register("insert_global_admin_css")
def admin_styles():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
