from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from byline.newsletter import digests, tasks
from byline.newsletter.models import Frequency


class Command(BaseCommand):
    help = (
        "Send the daily digest (and on Mondays the weekly one) of articles published "
        "in the last closed period to confirmed subscribers. Safe to run again: "
        "nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[*Frequency.values, "all"],
            default="all",
            help="which digests (default: daily, plus weekly on Mondays)",
        )
        parser.add_argument(
            "--now", help="pretend it is this ISO 8601 time (for catching up)"
        )

    def handle(self, *args, frequency, now, **options):
        moment = self._moment(now)
        if frequency == "all":
            frequencies = [Frequency.DAILY]
            if timezone.localtime(moment).weekday() == 0:
                frequencies.append(Frequency.WEEKLY)
        else:
            frequencies = [frequency]
        for name in frequencies:
            digest = digests.open_digest(name, moment)
            outcomes = tasks.queue_digest(digest)
            summary = ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items()))
            self.stdout.write(
                f"{digest} ({digest.period_start:%Y-%m-%d %H:%M} to "
                f"{digest.period_end:%Y-%m-%d %H:%M}): {summary or 'no subscribers'}"
            )

    def _moment(self, text):
        if not text:
            return timezone.now()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--now {text!r} is not an ISO 8601 time") from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
