from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "byline.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        # Its receivers connect once every app's models are loaded.
        from byline.publishing import pipeline  # noqa: F401, PLC0415
