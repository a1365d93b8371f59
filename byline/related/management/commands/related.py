"""Rebuild or export the precomputed "You may also like" lists."""

import json
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from byline.news.models import ArticlePage
from byline.news.public import public_articles
from byline.related import lists, refreshing
from byline.related.models import RelatedLink


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
            total = public_articles().count()
            with tqdm(
                total=total,
                unit="article",
                desc="similarities",
                disable=no_progress,
                file=_Progress(self.stderr),
            ) as bar:
                shown = ["similarities"]

                def progress(done, stage):
                    if stage != shown[-1]:  # the second pass starts from zero
                        shown.append(stage)
                        bar.reset(total)
                        bar.set_description(stage)
                    bar.update(done)

                count = lists.rebuild(progress=progress)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"Related lists rebuilt for {count} articles "
                f"in {time.perf_counter() - started:.1f}s (peak memory {peak:.0f} MB)."
            )
        if refresh:
            started = time.perf_counter()
            refreshing.refresh(refresh)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"Related lists refreshed after article {refresh} "
                f"in {time.perf_counter() - started:.2f}s (peak memory {peak:.0f} MB)."
            )
        if export:
            written = export_lists(export)
            self.stdout.write(f"Wrote {written} lists to {export}.")


def export_lists(path):
    """Write DESIGN.md's export: one line per article, related ids best first
    (each article named by its source id when it was imported). Return the count."""
    source_ids = dict(ArticlePage.objects.values_list("pk", "source_id"))
    related = {}
    for article_id, related_id in RelatedLink.objects.order_by(
        "article_id", "rank"
    ).values_list("article_id", "related_id"):
        related.setdefault(article_id, []).append(related_id)
    with open(path, "w", encoding="utf-8") as out:
        for article_id in sorted(related):
            record = {
                "id": source_ids.get(article_id) or article_id,
                "related": [source_ids.get(r) or r for r in related[article_id]],
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(related)


class _Progress:
    """The command's stderr as tqdm writes to a file: each text as it is (no
    line ending added, no colour), through OutputWrapper's public `write`."""

    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.write(text, style_func=str, ending="")

    def flush(self):
        self.out.flush()
