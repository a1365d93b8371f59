from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.comments import demo, roles, settings_cache  # noqa: F401, PLC0415

        post_migrate.connect(roles.grant_moderation, sender=self)
