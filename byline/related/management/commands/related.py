"""Rebuild or export the precomputed "You may also like" lists."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from byline.related import store


class Command(BaseCommand):
    help = "Recompute every related-articles list, or export them as JSON Lines."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="relearn and recompute every list"
        )
        parser.add_argument(
            "--refresh", type=int, metavar="PAGE_ID", help="follow one article's change"
        )
        parser.add_argument(
            "--export", metavar="FILE", help="write one JSON line per article"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, rebuild, refresh, export, no_progress, **options):
        if not (rebuild or refresh or export):
            raise CommandError(
                "say what to do: --rebuild, --refresh ID or --export FILE"
            )
        if rebuild:
            started = time.perf_counter()
            total = store.live_articles().count()
            with tqdm(
                total=total,
                unit="article",
                desc="similarities",
                disable=no_progress,
                file=self.stderr._out,
            ) as bar:
                shown = ["similarities"]

                def progress(done, stage):
                    if stage != shown[-1]:  # the second pass starts from zero
                        shown.append(stage)
                        bar.reset(total)
                        bar.set_description(stage)
                    bar.update(done)

                count = store.rebuild(progress=progress)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"Related lists rebuilt for {count} articles "
                f"in {time.perf_counter() - started:.1f}s (peak memory {peak:.0f} MB)."
            )
        if refresh:
            started = time.perf_counter()
            store.refresh(refresh)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"Related lists refreshed after article {refresh} "
                f"in {time.perf_counter() - started:.2f}s (peak memory {peak:.0f} MB)."
            )
        if export:
            written = store.export(export)
            self.stdout.write(f"Wrote {written} lists to {export}.")
