import sys

from django.apps import AppConfig
from django.conf import settings


class ProvenanceConfig(AppConfig):
    name = "byline.provenance"
    label = "provenance"
    verbose_name = "Provenance"

    def ready(self):
        # Receivers, panels and checks need every app's models loaded first.
        from byline.core.health import register_check  # noqa: PLC0415
        from byline.provenance import keys, panels, signals  # noqa: F401, PLC0415

        panels.add_corrections_to_article_editor()
        # A node that cannot read its key cannot publish: not ready.
        register_check("signing key", keys.check_key_file)
        # `restore` on a new machine brings the key with it.
        restoring = sys.argv[1:2] == ["restore"]
        if not settings.PROVENANCE_CREATE_KEY and not restoring:
            # A production site refuses to start rather than publish unsigned.
            keys.check_key_file()
