from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "byline.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"
