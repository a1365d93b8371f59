from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "byline.search"
    label = "byline_search"
    verbose_name = "Search"

    def ready(self):
        from byline.search import signals  # noqa: F401
