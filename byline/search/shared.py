"""Pieces both full-text indexes (SQLite FTS5, PostgreSQL tsvector) use alike."""

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit_away(word):
    """Return the words one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in LETTERS}
    inserts = {a + c + b for a, b in splits for c in LETTERS}
    return (deletes | transposes | replaces | inserts) - {word, ""}


def newer_first_among_equals(rows, best):
    """Order (id, score, published) rows by score relative to `best`, scores within
    1% of each other counting as equal and then ordered newest first.

    Comparing relative to the best score makes the rule hold for a tiny archive
    and a huge one alike, whichever sign the index's scores have.
    """
    return sorted(
        rows, key=lambda r: (-round(float(r[1]) / best, 2), -(r[2] or 0), -r[0])
    )
