"""Pieces both full-text indexes (SQLite FTS5, PostgreSQL tsvector) use alike."""

LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Both indexes stop counting matches here: past it the total is shown as "more
# than 1,000 results" (50 pages of 20), and counting a common word's million
# matches would cost more than the page (pg_bounds.py, sqlite_ranking.py).
COUNT_LIMIT = 1000


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


# "Did you mean" beyond one edit. A word of 4 or 5 letters is corrected within
# one edit, a longer one within two (transpositions count as one), as
# Elasticsearch's "AUTO" fuzziness does: two edits in a short word make another
# word, not a misspelling of it.
TWO_EDITS_FROM = 6
MAX_EDITS = 2
# Vocabulary words this long or longer get deletion variants (a word of 6
# letters typed with two extra letters is 4 long).
VARIANTS_FROM, VARIANTS_UP_TO = TWO_EDITS_FROM - MAX_EDITS, 24


def deletions(word, depth=MAX_EDITS):
    """Return the word and every string made by deleting up to `depth` letters.

    The symmetric-delete method (SymSpell): two words within N edits share a
    string made from each by at most N deletions. The vocabulary's variants are
    stored with an index, so a lookup costs one indexed query of a few dozen
    keys, not a pass over the vocabulary.
    """
    found, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def spelling_variants(words):
    """Return (variant, word) rows for the vocabulary words that get variants."""
    return [
        (variant, word)
        for word in sorted(set(words))
        if VARIANTS_FROM <= len(word) <= VARIANTS_UP_TO and not word.isdigit()
        for variant in deletions(word)
    ]


def best_within_two_edits(term, counts):
    """Return the best correction of `term` among {word: articles using it}.

    Fewest edits first (optimal string alignment: an adjacent transposition is
    one edit), then the most used word, then alphabetical order.
    """
    # rapidfuzz costs every web worker 4.4 MiB at rest; only a search that
    # needs a correction loads it.
    from rapidfuzz.distance import OSA  # noqa: PLC0415

    scored = [
        (OSA.distance(term, word), -count, word)
        for word, count in counts.items()
        if count > 0 and word != term
    ]
    scored = [s for s in scored if s[0] <= MAX_EDITS]
    return min(scored)[2] if scored else None
