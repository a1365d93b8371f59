"""A page's subtree is a range of paths: the page, everything below, nothing else."""

from wagtail.models import Page

from byline.core.tree import subtree


def test_the_range_holds_the_subtree_and_nothing_else(
    make_article, section, other_section
):
    inside = make_article("Inside")
    outside = make_article("Outside", parent=other_section)
    low, high = subtree(section.path)
    found = set(
        Page.objects.filter(path__range=(low, high)).values_list("pk", flat=True)
    )
    assert {section.pk, inside.pk} <= found
    assert other_section.pk not in found and outside.pk not in found
    assert found == set(
        Page.objects.filter(path__startswith=section.path).values_list("pk", flat=True)
    )
