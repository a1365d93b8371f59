"""Inline feedback: passages found, marked by the server, found again after edits."""

import pytest
from bs4 import BeautifulSoup

from byline.comments import anchors
from byline.comments.models import Comment

BODY = (
    "<p>The summit opened in Beijing with a parade.</p>"
    "<h2>Money</h2>"
    "<p>Banks grew cautious about Russian payments after the sanctions threat.</p>"
    "<p>Officials promised more trade in national currencies.</p>"
)
QUOTE = "Banks grew cautious about Russian payments"


@pytest.fixture
def article(make_article):
    return make_article("Summit", body=BODY)


def test_a_repeated_quote_is_told_apart_by_its_context():
    text = "One said yes. Then two said yes. Then three said yes."
    found = anchors.locate(text, "said yes", prefix="Then two", suffix=". Then three")
    assert text[found.start - 4 : found.end] == "two said yes"


@pytest.mark.parametrize(
    ("edit", "state"),
    [
        # An edit before the passage moves it; the quote is still found exactly.
        (lambda b: b.replace("with a parade", "with a long parade"), "found"),
        # An edit after it changes nothing for it.
        (lambda b: b.replace("national currencies", "roubles and yuan"), "found"),
        # A small edit inside it: found again by fuzzy matching.
        (lambda b: b.replace("grew cautious", "became cautious"), "moved"),
        # The passage rewritten entirely: lost, shown on an earlier version.
        (
            lambda b: b.replace(
                "Banks grew cautious about Russian payments after the sanctions",
                "Trade finance is a topic for another day, not",
            ),
            "lost",
        ),
    ],
    ids=["before", "after", "inside", "rewritten"],
)
def test_anchors_are_found_again_after_an_edit(
    client, post, article, edit, state, comment_settings
):
    comment_settings.moderation = "none"
    comment_settings.save()
    response = post(
        article,
        "Which banks?",
        quote=QUOTE,
        quote_prefix="Money ",
        quote_suffix=" after the sanctions",
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.anchor_state == "found"

    article.body = edit(article.body)
    article.save_revision().publish()
    comment.refresh_from_db()
    assert comment.anchor_state == state
    html = client.get(article.url).content.decode()
    page = BeautifulSoup(html, "html.parser")
    marks = page.select(".article-body mark.feedback")
    if state == "lost":
        assert not marks
        assert "in an earlier version of the article" in html
        assert QUOTE in html  # the quote is kept and shown with the comment
    else:
        marked = "".join(m.get_text() for m in marks)
        assert "cautious about Russian payments" in marked
        count = page.select_one(".article-body .feedback-count")
        assert count["data-count"] == "1"
        assert count["href"] == f"#comment-{comment.pk}"


def test_marks_cross_tags_and_stay_well_formed():
    html = "<p>Alpha <b>beta</b> gamma.</p>"
    text = anchors.text_of(html)
    found = anchors.locate(text, "Alpha beta gamma")
    marked = anchors.mark(html, [(found.start, found.end, [9])])
    soup = BeautifulSoup(marked, "html.parser")
    assert "".join(m.get_text() for m in soup.find_all("mark")) == "Alpha beta gamma"
    # Closed before the <b> and reopened inside it: balanced, nothing to repair.
    assert marked.count("<mark") == marked.count("</mark>") == 3
    assert soup.find("b").find("mark").get_text() == "beta"


def test_marked_text_is_escaped():
    html = "<p>1 &lt; 2 &amp; <b>x</b></p>"
    text = anchors.text_of(html)
    found = anchors.locate(text, "1 < 2 &")
    marked = anchors.mark(html, [(found.start, found.end, [1])])
    assert "&lt;" in marked and "<mark" in marked and "< 2" not in marked


def test_a_passage_not_in_the_article_is_refused_keeping_the_text(post, article):
    response = post(article, "My thoughts.", quote="words that are nowhere at all")
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not find the passage" in html
    assert "My thoughts." in html


def test_pending_feedback_is_not_marked(client, post, article):
    post(article, "Held for review.", quote=QUOTE)
    assert Comment.objects.get().status == "pending"
    assert "mark class" not in client.get(article.url).content.decode()


def test_a_quote_ending_mid_word_is_widened_to_the_whole_word():
    text = "The talks on 16 and 17 May showed a relationship."
    found = anchors.locate(text, "talks on 16 and 17 M")
    assert text[found.start : found.end] == "talks on 16 and 17 May"
    assert (
        anchors.quoted(text, "talks on 16 and 17 M", found)
        == text[found.start : found.end]
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "words"),
    [
        ("Beijing's markets", 0, 5, "Beijing's"),  # an apostrophe inside a word
        ("Beijing’s markets", 11, 12, "markets"),
        ("un café crème", 4, 6, "café"),
        ("Москва и Пекин", 2, 10, "Москва и Пекин"),
        ("end. Next", 0, 4, "end."),  # punctuation is no part of a word
    ],
)
def test_whole_words_never_split_a_word(text, start, end, words):
    start, end = anchors.whole_words(text, start, end)
    assert text[start:end] == words


def test_an_anchor_stored_mid_word_marks_the_whole_word_and_badge_after_it():
    """Anchors stored before quotes were snapped: the badge still follows the word."""
    html = "<p>The talks on 16 and 17 May showed a relationship.</p>"
    text = anchors.text_of(html)
    start = text.index("17 M")
    marked = BeautifulSoup(anchors.mark(html, [(start, start + 4, [7])]), "html.parser")
    assert marked.find("mark").get_text() == "17 May"
    badge = marked.find("a", class_="feedback-count")
    assert badge.next_sibling == " showed a relationship."
