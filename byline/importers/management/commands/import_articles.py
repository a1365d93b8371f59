import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from byline.importers.jsonl import import_jsonl


class Bar(tqdm):
    """tqdm without its monitor thread, so that the import's worker process
    is forked from a process with no other thread (a fork copies the locks a
    running thread may hold; Python 3.12 warns). The monitor only corrects
    `miniters` for bars that stall, and this one moves a batch at a time."""

    monitor_interval = 0


def count_lines(path):
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


class Command(BaseCommand):
    help = (
        "Import articles from a JSON Lines file (id, title, body, category, "
        "published, author, tags). Idempotent by id; bad lines are reported, "
        "then skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="JSON Lines file, one article per line")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--no-progress", action="store_true", help="do not draw a progress bar"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes reading and preparing lines ahead of the writes "
            "(0: none, all in this process)",
        )

    def handle(self, path, batch_size, no_progress, workers, **options):
        if workers < 0:
            raise CommandError("--workers must be 0 or more")
        try:
            total = count_lines(path)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        bar = Bar(
            total=total, unit="line", disable=no_progress, file=sys.stderr, leave=False
        )

        def report(number, reason):
            bar.write(f"line {number}: {reason}", file=sys.stderr)

        summary = import_jsonl(
            path,
            batch_size=batch_size,
            progress=bar.update,
            report=report,
            workers=workers,
        )
        bar.close()
        style = self.style.SUCCESS if not summary.bad else self.style.WARNING
        self.stdout.write(style(f"Imported {path}: {summary}."))
