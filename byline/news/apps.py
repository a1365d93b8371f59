from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "byline.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        # Receivers connect once every app's models are loaded.
        from byline.news import newsroom, signals  # noqa: F401, PLC0415

        # Groups and the review workflow exist on every install, not only the demo.
        post_migrate.connect(newsroom.ensure_newsroom_roles, sender=self)

        # Author slugs keep the marks of Indic and Thai names (core/slugs.py).
        from byline.core.slugs import accept_marks  # noqa: PLC0415
        from byline.news.authors import Author  # noqa: PLC0415

        accept_marks(Author)
