"""Banned and suspect words match whole words in every script.

Python's `\\w` leaves out combining marks (the vowel signs and viramas of
Indic scripts), so a word boundary fell inside Hindi words: "कम" (less) was
found in "कमाल" (wonderful), whose next letter is a vowel sign, and a
considered comment was rejected. Letters in other forms (fullwidth "ｓｃａｍ",
a decomposed "é") and Arabic's optional short vowels hid a listed word.
"""

import pytest

from byline.comments.models import Comment, Moderation


@pytest.fixture
def listing(comment_settings):
    def words(banned="", suspect=""):
        comment_settings.moderation = Moderation.NONE
        comment_settings.banned_words = banned
        comment_settings.suspect_words = suspect
        comment_settings.save()

    return words


def verdict(post, article, text):
    post(article, text)
    comment = Comment.objects.order_by("-pk").first()
    return comment.status, comment.moderation_note


@pytest.mark.parametrize(
    ("banned", "text"),
    [
        ("कम", "यह फ़ैसला कमाल का है।"),  # a vowel sign follows: inside a word
        ("पत", "मुझे इसका पता नहीं था।"),
        ("கல", "இது கலை பற்றிய கட்டுரை."),  # Tamil, a vowel sign follows
        ("ना", "वह सीना तान कर चला।"),  # a vowel sign comes before
    ],
)
def test_a_word_inside_a_longer_word_with_marks_is_not_matched(
    post, published_article, listing, banned, text
):
    listing(banned=banned)
    assert verdict(post, published_article, text) == ("approved", "")


@pytest.mark.parametrize(
    ("banned", "text"),
    [
        ("कमीना", "तुम कमीना हो।"),
        ("scam", "What a ｓｃａｍ."),  # fullwidth letters
        ("café", "Le cafe\u0301 est fermé."),  # é written as e + accent
        ("كلب", "أنت كلبٌ حقًا"),  # Arabic with its optional short vowels
    ],
)
def test_a_listed_word_is_found_in_any_form_of_its_letters(
    post, published_article, listing, banned, text
):
    listing(banned=banned)
    assert verdict(post, published_article, text) == (
        "rejected",
        f"banned word: {banned}",
    )


def test_suspect_words_follow_the_same_rule(post, published_article, listing):
    listing(suspect="कम")
    assert verdict(post, published_article, "कमाल की रिपोर्ट।")[0] == "approved"
    assert verdict(post, published_article, "बहुत कम लोग आए।") == (
        "pending",
        "suspect word: कम",
    )
