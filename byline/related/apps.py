from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "byline.related"
    label = "related"
    verbose_name = "Related articles"

    def ready(self):
        # Importing `receivers` connects them (and keeps numpy out: the lists
        # are computed by tasks, in the task worker).
        from byline.related import panels, receivers  # noqa: F401, PLC0415

        panels.add_editor_choices_to_article_editor()
