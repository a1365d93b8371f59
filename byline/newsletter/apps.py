from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "byline.newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        from byline.newsletter import signals  # noqa: F401
