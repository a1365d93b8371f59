from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "byline.related"
    label = "related"
    verbose_name = "Related articles"

    def ready(self):
        from byline.related import panels, signals  # noqa: F401

        panels.add_editor_choices_to_article_editor()
