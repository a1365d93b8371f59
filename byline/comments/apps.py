from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "byline.comments"
    label = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from byline.comments import signals  # noqa: F401
