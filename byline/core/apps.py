from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_save

from byline.core.sqlitefiles import on_connection_created


def site_address_from_settings(sender, using="default", **kwargs):
    """After `migrate`, the default site answers at SITE_URL: always when it is
    set, and while the site still has Wagtail's placeholder address otherwise
    (an address chosen in the admin is kept)."""
    # apps.py loads before the models that addresses reads (Wagtail's Site).
    from byline.core.addresses import sync_default_site  # noqa: PLC0415

    sync_default_site(using=using, unless_chosen=not settings.SITE_URL_FROM_ENVIRONMENT)


class CoreConfig(AppConfig):
    name = "byline.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.core import signals  # noqa: F401, PLC0415

        connection_created.connect(on_connection_created)

        # Slugs keep the marks of Indic and Thai scripts (core/slugs.py).
        from taggit.models import Tag  # noqa: PLC0415
        from wagtail.models import Page  # noqa: PLC0415

        from byline.core.slugs import (  # noqa: PLC0415
            accept_marks,
            tag_slug_with_marks,
        )

        accept_marks(Page)
        accept_marks(Tag)
        pre_save.connect(tag_slug_with_marks, sender=Tag)

        # Sent once per app; core's is enough, and comes after Wagtail's tables.
        post_migrate.connect(site_address_from_settings, sender=self)
