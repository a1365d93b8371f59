"""Find the page a URL names in fewer queries than Wagtail's walk down the tree.

Wagtail routes `/<section>/<article>/` one level at a time: the home page looks
up the section among its children, the section its article, each as a generic
page first and then as its specific class. `HomePage.route` and
`SectionPage.route` call these functions instead, and fall back to Wagtail's
walk when they find nothing (a standard page, a 404).
"""

from django.apps import apps

from byline.core.tree import subtree
from byline.news import statements


def article_under_home(home, path_components):
    """Return the article at `<section slug>/<article slug>` below the home page,
    with its section, or None."""
    if len(path_components) != 2:
        return None
    low, high = subtree(home.path)
    # Written as SQL (`statements`): its ORM twin selects about 100 columns, and
    # building that SQL was a quarter of an article page.
    article = statements.article_at(
        low, high, home.depth + 2, path_components[0], path_components[1]
    )
    # Only when the section is its parent in the tree, as Wagtail's walk would
    # find it.
    parent_path = article.path[: -home.steplen] if article else None
    if article is not None and article.section.path == parent_path:
        return article
    return None


def section_under_home(home, path_components):
    """Return the section the first component names, as a SectionPage, or None
    (one query instead of Wagtail's child look-up followed by `.specific`; written
    as SQL in `statements`, a fifth of a section page's time in the ORM)."""
    if not path_components:
        return None
    low, high = subtree(home.path)
    return statements.section_at(low, high, home.depth + 1, path_components[0])


def article_in_section(section, path_components):
    """Return the article a one-component path names in the section, fetched with
    what its page shows beside it, or None."""
    if len(path_components) != 1:
        return None
    low, high = subtree(section.path)
    # By name from the registry: models.py imports this module.
    article = (
        apps.get_model("news", "ArticlePage")
        .objects.filter(
            path__range=(low, high), depth=section.depth + 1, slug=path_components[0]
        )
        .select_related("hero_image")
        .first()
    )
    if article is not None:
        article.section = (
            section if article.section_id == section.pk else article.section
        )
    return article
