import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from byline.operations import workers
from byline.related import refreshing as related_refreshing


class Command(BaseCommand):
    help = (
        "Run the task worker (django-tasks-db's db_worker), first putting back "
        "the tasks that a dead worker on this machine left half done and "
        "loading the related-articles model that publishes refresh."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="run what is queued, then exit"
        )
        parser.add_argument(
            "--recover-after",
            type=int,
            default=0,
            metavar="MINUTES",
            help="also put back tasks running longer than this, from any host",
        )

    def handle(self, batch=False, recover_after=0, **options):
        recovered = workers.recover(workers.minutes(recover_after))
        if recovered:
            self.stdout.write(f"Put back {recovered} task(s) left by a dead worker.")
        started = time.perf_counter()
        held = related_refreshing.warm()
        if held:
            self.stdout.write(
                f"Loaded the related-articles model of {held} articles "
                f"in {time.perf_counter() - started:.1f}s."
            )
        args = ["--worker-id", workers.worker_id(), "--no-startup-delay"]
        if batch:
            args.append("--batch")
        call_command("db_worker", *args)
