"""Compute every part row of the sitemap index afresh (`sitemap_parts.py`).

Not needed in normal running: the rows are kept exact by signals and missing or
stale ones are computed on the index's next read. Run it after changing pages
with SQL or `QuerySet.update()`, which sends no signal.
"""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from byline.syndication import sitemap_parts


class Command(BaseCommand):
    help = "Compute the sitemap index's part rows afresh for every site."

    def handle(self, *args, **options):
        roots = sorted({site.root_page.path for site in Site.objects.all()})
        sitemap_parts.rebuild(roots)
        self.stdout.write(f"Sitemap index rebuilt for {len(roots)} site root(s).")
