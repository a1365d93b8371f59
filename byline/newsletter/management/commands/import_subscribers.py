import csv

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from byline.newsletter import tasks
from byline.newsletter.models import Frequency, Subscriber


class Command(BaseCommand):
    help = (
        "Bring newsletter subscribers from another system (a CSV with an 'email' "
        "column and optionally 'frequency'). Without --confirmed each new address "
        "gets a confirmation mail first; with it, the addresses are taken as already "
        "opted in (they confirmed on the old site). Bad rows are reported, then "
        "skipped; re-running changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--confirmed",
            action="store_true",
            help="the old site already confirmed these addresses (double opt-in)",
        )

    def handle(self, path, confirmed, **options):
        try:
            handle = open(path, newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        created = existing = bad = 0
        with handle:
            rows = csv.DictReader(handle)
            fields = {name.strip().lower() for name in rows.fieldnames or []}
            if "email" not in fields:
                raise CommandError(f"{path} has no 'email' column")
            for number, row in enumerate(rows, start=2):
                row = {
                    k.strip().lower(): (v or "").strip() for k, v in row.items() if k
                }
                email = row.get("email", "").lower()
                frequency = row.get("frequency", "").lower() or Frequency.DAILY
                try:
                    validate_email(email)
                except ValidationError:
                    self.stderr.write(
                        f"line {number}: {email!r} is not an email address"
                    )
                    bad += 1
                    continue
                if frequency not in Frequency.values:
                    self.stderr.write(
                        f"line {number}: frequency {frequency!r} is not daily or weekly"
                    )
                    bad += 1
                    continue
                subscriber, made = Subscriber.objects.get_or_create(
                    email=email, defaults={"frequency": frequency}
                )
                if not made:
                    existing += 1
                    continue
                created += 1
                if confirmed:
                    subscriber.confirmed = timezone.now()
                    subscriber.save(update_fields=["confirmed"])
                else:
                    tasks.send_confirmation.enqueue(subscriber.pk)
        self.stdout.write(
            f"Subscribers: {created} added"
            f"{' (already confirmed)' if confirmed else ' (confirmation sent)'}, "
            f"{existing} already here, {bad} bad rows skipped."
        )
