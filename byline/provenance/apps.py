from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    name = "byline.provenance"
    label = "provenance"
    verbose_name = "Provenance"

    def ready(self):
        from byline.provenance import panels, signals  # noqa: F401

        panels.add_corrections_to_article_editor()
