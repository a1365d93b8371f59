import sys

from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    name = "byline.provenance"
    label = "provenance"
    verbose_name = "Provenance"

    def ready(self):
        from django.conf import settings

        from byline.provenance import keys, panels, signals  # noqa: F401

        panels.add_corrections_to_article_editor()
        # `restore` on a new machine brings the key with it.
        restoring = sys.argv[1:2] == ["restore"]
        if not settings.PROVENANCE_CREATE_KEY and not restoring:
            # A production site refuses to start rather than publish unsigned.
            keys.check_key_file()
