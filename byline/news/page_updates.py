"""Change page rows with `QuerySet.update()` and say so.

`update()` writes rows without `Page.save()`, so no `post_save` is sent, and
whatever keeps figures about pages would go on showing the old ones: the sitemap
index's part rows (syndication/sitemap_parts.py) are kept exact by the page
signals alone. `update_pages()` sends `pages_updated` with the ids it changed.
A test (news/tests/test_page_updates.py) fails on any `update()` elsewhere in
Byline that writes a page field those figures read (`PAGE_FIGURE_FIELDS`).
"""

from byline.news.signals import pages_updated

# Page fields the kept figures read: whether and when a page was published,
# its latest revision's date (the date of a page never published), and where
# it is in the tree (its site, its view restrictions).
PAGE_FIGURE_FIELDS = frozenset(
    {"live", "last_published_at", "latest_revision_created_at", "path"}
)


def update_pages(queryset, **values):
    """`queryset.update(**values)` for a query set of pages, then
    `pages_updated` with the ids of the pages it matched. Returns the count."""
    pks = list(queryset.values_list("pk", flat=True))
    if not pks:
        return 0
    count = queryset.filter(pk__in=pks).update(**values)  # the rows announced
    pages_updated.send(sender=queryset.model, pks=pks, fields=frozenset(values))
    return count
