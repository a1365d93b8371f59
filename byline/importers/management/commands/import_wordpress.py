import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from byline.importers.wordpress import import_wordpress


class Command(BaseCommand):
    help = (
        "Import a WordPress WXR export: authors, categories as sections, tags, posts "
        "as articles, pages, threaded comments and redirects from the old addresses. "
        "Streams the file; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the WXR file WordPress exported")
        parser.add_argument(
            "--media-dir",
            help="a copy of wp-content/uploads, to import featured images",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, path, media_dir, no_progress, **options):
        bar = tqdm(unit="item", disable=no_progress, file=sys.stderr, leave=False)
        try:
            report = import_wordpress(path, media_dir, progress=bar.update)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from None
        except SyntaxError as exc:  # ElementTree's ParseError
            raise CommandError(f"{path} is not a readable WXR file: {exc}") from None
        finally:
            bar.close()
        self.stdout.write(f"Imported {path}.")
        for line in report.lines():
            self.stdout.write(line)
