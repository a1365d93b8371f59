from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    name = "byline.provenance"
    label = "provenance"
    verbose_name = "Provenance"

    def ready(self):
        from django.conf import settings

        from byline.provenance import keys, panels, signals  # noqa: F401

        panels.add_corrections_to_article_editor()
        if not settings.PROVENANCE_CREATE_KEY:
            # A production site refuses to start rather than publish unsigned.
            keys.check_key_file()
