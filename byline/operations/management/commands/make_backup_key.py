import os
from pathlib import Path

import pyrage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Make an age key pair for encrypted backups: write the identity (the key "
        "that opens them) to FILE, mode 0600, and print the public recipient to "
        "put in BACKUP_RECIPIENTS. Keep FILE off the server that writes backups."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the identity; must not exist")

    def handle(self, file, **options):
        identity = pyrage.x25519.Identity.generate()
        recipient = identity.to_public()
        path = Path(file)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise CommandError(f"{path} exists; choose a new file") from None
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc.strerror}") from None
        with os.fdopen(fd, "w") as handle:
            handle.write(f"# public key: {recipient}\n{identity}\n")
        self.stdout.write(
            f"Wrote the identity to {path}. Set BACKUP_RECIPIENTS={recipient} on "
            "the server, and keep the identity elsewhere (it alone opens the "
            "backups: `manage.py restore ARCHIVE --identity FILE`)."
        )
