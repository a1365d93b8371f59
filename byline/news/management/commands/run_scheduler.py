import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Publish and unpublish scheduled pages every --interval seconds until stopped, "
        "and from NEWSLETTER_SEND_HOUR on send the day's newsletter digests "
        "(production runs `publish_scheduled` and `send_digests` from cron or a "
        "timer instead)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument(
            "--runs", type=int, default=0, help="stop after this many runs (0: never)"
        )

    def handle(self, interval, runs, **options):
        done = 0
        while True:
            call_command("publish_scheduled", verbosity=0)
            if timezone.localtime().hour >= settings.NEWSLETTER_SEND_HOUR:
                # Idempotent: after the first run of the day it finds nothing to send.
                call_command("send_digests", verbosity=0)
            done += 1
            if runs and done >= runs:
                return
            time.sleep(interval)
