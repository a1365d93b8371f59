from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from byline.core import backup


class Command(BaseCommand):
    help = "Restore a `manage.py backup` archive over this install (then migrate)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="do not ask: this replaces the database's whole content",
        )

    def handle(self, archive, yes=False, **options):
        try:
            manifest = backup.read_manifest(archive)
        except (OSError, backup.BackupError) as exc:
            raise CommandError(f"cannot read {archive}: {exc}") from None
        c = manifest["counts"]
        summary = (
            f"{manifest['engine']} backup of {manifest['created']}: {c['articles']} "
            f"articles, {c['comments']} comments, {c['provenance_records']} "
            "provenance records"
        )
        if not yes:
            answer = input(
                f"Replace everything in this site with the {summary}? [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            backup.restore(archive)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        # A backup from an older release gets this release's schema.
        call_command("migrate", "--noinput", verbosity=0)
        now = backup.counts()
        self.stdout.write(
            f"Restored the {summary}. Now: {now['articles']} articles, "
            f"{now['comments']} comments, {now['provenance_records']} provenance "
            "records."
        )
