from django.core.management.base import BaseCommand

from byline.provenance import keys


class Command(BaseCommand):
    help = (
        "Make a new Ed25519 signing key current. The old public key stays published "
        "with the time range it signed; its private key is overwritten."
    )

    def handle(self, *args, **options):
        old, new = keys.rotate()
        if old:
            self.stdout.write(f"Retired key {old}.")
        self.stdout.write(
            self.style.SUCCESS(f"New signing key {new} in {keys.key_path()}.")
        )
