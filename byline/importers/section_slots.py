"""Where an import puts a section's new articles: tree positions and slugs."""

from wagtail.models import Page

from byline.core.slugs import free_slug
from byline.core.tree import child_path, step_number, subtree
from byline.news.models import ArticlePage
from byline.news.site_setup import unicode_slug

MAX_SLUG = 80


class SectionSlot:
    """A section with the next free tree position and slugs already taken under it."""

    def __init__(self, section):
        self.section = section
        children = Page.objects.filter(
            path__range=subtree(section.path), depth=section.depth + 1
        )
        # Read from the rows, not through numchild (see _count_children).
        last = children.order_by("-path").values_list("path", flat=True).first()
        self.next_step = step_number(last[-ArticlePage.steplen :]) + 1 if last else 1
        self.slugs = set(children.values_list("slug", flat=True))
        # The next number to try after each headline's slug: a section may hold
        # thousands of "Letters" or "Corrections", and counting up from 2 each
        # time made the import quadratic in them.
        self.next_number = {}
        self.added = 0

    def take_path(self):
        path = child_path(self.section.path, self.next_step)
        self.next_step += 1
        self.added += 1
        return path

    def take_slug(self, title, source_id):
        # Cut by free_slug, on a whole letter (core/slugs.py).
        base = unicode_slug(title) or unicode_slug(source_id) or "article"
        slug, self.next_number[base] = free_slug(
            base, self.slugs, MAX_SLUG, self.next_number.get(base, 2)
        )
        self.slugs.add(slug)
        return slug
