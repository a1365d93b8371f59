"""How text becomes words, for the indexes and the query alike."""

from hypothesis import given, settings
from hypothesis import strategies as st

from byline.search.text import is_word_character, split_words


def test_words_keep_their_combining_marks():
    """Hindi vowel signs (category M) stay inside their word."""
    assert split_words("दिल्ली में, café_au-lait") == ["दिल्ली", "में", "café", "au", "lait"]


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_split_words_splits_at_every_character_that_is_not_a_words(text):
    """The translation table gives the words the per-character definition gives."""
    spaced = "".join(c if is_word_character(c) else " " for c in text)
    assert split_words(text) == spaced.split()
