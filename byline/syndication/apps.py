from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "byline.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"

    def ready(self):
        # The receivers that keep the sitemap index's part rows exact.
        from byline.syndication import signals  # noqa: F401, PLC0415
