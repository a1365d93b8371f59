"""A page's subtree as a range of paths, for the queries that find pages.

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


def step_number(step):
    """The number a tree path step stands for (its last `Page.steplen` letters),
    in treebeard's documented alphabet."""
    number = 0
    for letter in step:
        number = number * len(Page.alphabet) + Page.alphabet.index(letter)
    return number


def child_path(parent_path, number):
    """The path treebeard gives the `number`th child step of the page at
    parent_path: the step written in its alphabet, padded to `Page.steplen`."""
    base = len(Page.alphabet)
    letters = ""
    while True:
        number, digit = divmod(number, base)
        letters = Page.alphabet[digit] + letters
        if not number:
            break
    if len(letters) > Page.steplen:
        raise ValueError(f"step {letters!r} longer than {Page.steplen} letters")
    return parent_path + letters.rjust(Page.steplen, Page.alphabet[0])
