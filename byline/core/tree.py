"""A page's subtree as a range of paths, for prepared queries.

SQLite prepares a statement again at every run when a LIKE pattern is a bound
parameter (its LIKE optimisation depends on the value): 0.1 ms each time for
a page look-up, three times what running it costs. Treebeard's paths are
written in an alphabet that sorts as it counts, so every path below a page lies
between the page's path and that path followed by the alphabet's last letter.
"""

from wagtail.models import Page


def subtree(path):
    """(low, high) such that `path__range=(low, high)` holds the page at path and
    everything below it, and nothing else."""
    longest = Page._meta.get_field("path").max_length
    return path, path + Page.alphabet[-1] * (longest - len(path))
