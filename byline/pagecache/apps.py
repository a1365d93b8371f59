from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "byline.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.pagecache import signals  # noqa: F401, PLC0415
