from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "byline.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.newsletter import signals  # noqa: F401, PLC0415
