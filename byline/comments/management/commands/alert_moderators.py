from django.core.management.base import BaseCommand

from byline.comments import notifications


class Command(BaseCommand):
    help = (
        "Mail moderators about held comments they have not been told of, at most "
        "once per moderator per COMMENTS_ALERT_MINUTES (run_scheduler runs it "
        "every minute; with a task worker, held comments schedule it themselves)."
    )

    def handle(self, **options):
        again = notifications.alert_moderators()
        if again is not None and options["verbosity"] > 1:
            self.stdout.write(f"More to tell from {again:%H:%M}.")
