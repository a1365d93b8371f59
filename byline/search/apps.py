from django.apps import AppConfig
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate

from byline.search import pg_schema


class SearchConfig(AppConfig):
    name = "byline.search"
    label = "byline_search"
    verbose_name = "Search"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.search import signals  # noqa: F401, PLC0415

        post_migrate.connect(use_site_language, sender=self)


def use_site_language(sender, using="default", **kwargs):
    """PostgreSQL stems with the site's language (LANGUAGE_CODE), set anew
    after every migrate; SQLite's FTS5 offers an English stemmer only."""
    if connections[using].vendor == "postgresql":
        pg_schema.use_language(settings.LANGUAGE_CODE)
