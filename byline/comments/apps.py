from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from byline.comments import demo, roles, signals  # noqa: F401

        post_migrate.connect(roles.grant_moderation, sender=self)
