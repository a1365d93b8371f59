from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "byline.core"
    label = "core"
    verbose_name = "Site"

    def ready(self):
        from byline.core import signals  # noqa: F401
