from django.core.management.base import BaseCommand
from tqdm import tqdm

from byline.news.models import ArticlePage
from byline.news.public import public_articles
from byline.search import topics
from byline.search.indexing import index_articles, index_backend, uses_fts

BATCH = 1000


class Command(BaseCommand):
    help = "Rebuild the article search index from the published articles."

    def handle(self, *args, **options):
        if not uses_fts():
            self.stdout.write(
                "This database searches through Wagtail: run update_index."
            )
            return
        index_backend().recreate()
        ids = list(public_articles().values_list("pk", flat=True))
        for start in tqdm(range(0, len(ids), BATCH), unit="batch", leave=False):
            index_articles(
                ArticlePage.objects.filter(pk__in=ids[start : start + BATCH])
            )
        topics.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {len(ids)} articles."))
