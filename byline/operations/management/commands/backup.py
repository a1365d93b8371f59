from django.core.management.base import BaseCommand, CommandError

from byline.operations import backup


class Command(BaseCommand):
    help = (
        "Write a new archive with the database (SQLite online backup or pg_dump), "
        "media files and the provenance signing key. Never overwrites: archives "
        "in a folder get dated names. Encrypted with age to BACKUP_RECIPIENTS "
        "(or --encrypt-to) when given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            nargs="?",
            help=(
                "a folder to write a dated archive in (made if missing; default "
                "var/backups/), or a new file name ending in .tar.gz (.tar.gz.age "
                "when encrypted)"
            ),
        )
        parser.add_argument(
            "--encrypt-to",
            action="append",
            metavar="AGE_RECIPIENT",
            help="an age public key (age1…) to encrypt to; repeatable; "
            "replaces BACKUP_RECIPIENTS",
        )

    def handle(self, output=None, encrypt_to=None, **options):
        try:
            path, manifest = backup.create(output, recipients=encrypt_to)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        c = manifest["counts"]
        encrypted = " (encrypted)" if path.name.endswith(".age") else ""
        self.stdout.write(
            f"Backed up to {path}{encrypted}: {manifest['engine']} database, "
            f"{sum(name.startswith('media/') for name in manifest['files'])} media "
            f"files, {c['articles']} articles, {c['comments']} comments, "
            f"{c['provenance_records']} provenance records."
        )
