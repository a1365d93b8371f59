from django.core.management.base import BaseCommand

from byline.news import scheduler


class Command(BaseCommand):
    help = (
        "Publish and unpublish scheduled pages every --interval seconds until stopped, "
        "and from NEWSLETTER_SEND_HOUR on send the day's newsletter digests; "
        "tell moderators of held comments still untold (production runs "
        "`publish_scheduled`, `send_digests` and `alert_moderators` from cron or "
        "a timer instead; `make run` has gunicorn's master fork this loop)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=60)
        parser.add_argument(
            "--runs", type=int, default=0, help="stop after this many runs (0: never)"
        )

    def handle(self, interval, runs, **options):
        scheduler.run(interval=interval, runs=runs)
