from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from byline.operations import backup, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive over this install (then migrate). "
        "Everything is checked first; the live database is replaced only once the "
        "archive's has been restored completely."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="do not ask: this replaces the database's whole content",
        )
        parser.add_argument(
            "--identity",
            metavar="FILE",
            help="the age identity (AGE-SECRET-KEY-1…) of an encrypted archive",
        )

    def handle(self, archive, yes=False, identity=None, **options):
        try:
            with backup_restore.Restore(archive, identity) as pending:
                self._confirm(pending.manifest, yes)
                pending.apply()
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        # A backup from an older release gets this release's schema.
        call_command("migrate", "--noinput", verbosity=0)
        now = backup.counts()
        self.stdout.write(
            f"Restored the {self.summary}. Now: {now['articles']} articles, "
            f"{now['comments']} comments, {now['provenance_records']} provenance "
            "records."
        )

    def _confirm(self, manifest, yes):
        c = manifest["counts"]
        self.summary = (
            f"{manifest['engine']} backup of {manifest.get('created')}: "
            f"{c['articles']} articles, {c['comments']} comments, "
            f"{c['provenance_records']} provenance records"
        )
        if yes:
            return
        answer = input(
            f"Replace everything in this site with the {self.summary}? [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            raise CommandError("Nothing restored.")
