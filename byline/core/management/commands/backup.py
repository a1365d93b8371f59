from django.core.management.base import BaseCommand, CommandError

from byline.core import backup


class Command(BaseCommand):
    help = (
        "Write one archive with the database (SQLite online backup or pg_dump), "
        "media files and the provenance signing key."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            default="var/backups/",
            help="archive file, or a folder to write a dated one in (var/backups/)",
        )

    def handle(self, output, **options):
        try:
            path, manifest = backup.create(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        c = manifest["counts"]
        self.stdout.write(
            f"Backed up to {path}: {manifest['engine']} database, "
            f"{sum(name.startswith('media/') for name in manifest['files'])} media "
            f"files, {c['articles']} articles, {c['comments']} comments, "
            f"{c['provenance_records']} provenance records."
        )
