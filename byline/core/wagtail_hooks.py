"""The admin's look: local initials avatars and the newsroom's admin styles."""

from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override

from byline.core.avatars import avatar_data_url
from byline.core.slugs import SlugFormField
from byline.core.widgets import SlugInput


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


# Every slug field of the admin's forms (pages, authors) takes marks and makes
# its slug from the title with our script (core/slugs.py, static/js/slug.js);
# Wagtail's own drops the vowel signs of Indic scripts. Registered after
# Wagtail's (its admin app is imported before this hook module), so it wins.
register_form_field_override(
    models.SlugField, override={"form_class": SlugFormField, "widget": SlugInput}
)
