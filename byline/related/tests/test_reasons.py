"""The reason shown under each related article names a topic a reader
recognises (a tag, a person, a place, an organisation) or the section."""

import pytest

from byline.related import vectors
from byline.related.engine import Corpus

FILLER = "committee budget report weekly figures published analysts expected"
# Words of each article's own, so that alike articles are not copies (a copy is
# never proposed).
OWN = {
    1: "refinery diesel margins rotterdam traders insurers tanker freight brokers "
    "cargo shipping lanes",
    2: "rouble deficit ministry bonds inflation auction yields treasury coupons "
    "pension savers lenders",
    3: "trophy wembley extra time fans tickets anthem",
}


def doc(pk, title, standfirst, body, section=1, tags=()):
    return vectors.Document(
        id=pk,
        title=title,
        standfirst=standfirst,
        body=f"{body} {OWN[pk]}",
        section_id=section,
        published=20000.0 + pk,
        tags=frozenset(tags),
        tag_names={t: f"Tag {t}" for t in tags},
    )


def reason_for(documents, pk, other):
    vectorizer = vectors.fit(documents)
    corpus = Corpus(
        documents,
        vectors.transform(vectorizer, documents),
        vectors.vocabulary(vectorizer)[0],
        {1: "World", 2: "Business"},
    )
    row = corpus.row_of[pk]
    picks = corpus.choose(row, corpus.similarities([row])[0], count=3)
    return next(p.reason for p in picks if p.article_id == other)


def test_shared_common_words_are_not_a_topic():
    """Two articles alike in common words only ("state", "markets", "allies",
    "member") are "More from World", not "Also about state and markets"."""
    common = "state markets allies member state markets allies member"
    documents = [
        doc(1, "A visit of state", "The allies met as markets watched.", common),
        doc(2, "Markets and the state", "A member of the allies spoke.", common),
        doc(3, "Cup final tonight", "Fans travel.", "goal striker penalty " + FILLER),
    ]
    assert reason_for(documents, 1, 2) == "More from World"


def test_names_both_articles_mention_are_the_reason():
    """A name in both articles' headline or standfirst is the reason, whole
    ("Federal Reserve", not "Federal and Reserve")."""
    body = "Rates inflation cut, said the Federal Reserve. " + FILLER
    documents = [
        doc(1, "Rates cut at last", "The Federal Reserve moved in September.", body),
        doc(2, "Markets cheer", "Traders had bet the Federal Reserve would act.", body),
        doc(3, "Cup final tonight", "Fans travel.", "goal striker penalty " + FILLER),
    ]
    assert reason_for(documents, 1, 2) == "Also about Federal Reserve"


def test_a_word_that_opens_a_sentence_is_not_taken_for_a_name():
    """ "Leaders of the 32 allies …" does not make "Leaders" a topic."""
    body = "leaders allies summit pledges aid " + FILLER
    documents = [
        doc(1, "Summit pledges aid", "Leaders of the allies met.", body),
        doc(2, "Aid promised", "Leaders agreed on a figure.", body, section=2),
        doc(3, "Cup final tonight", "Fans travel.", "goal striker penalty " + FILLER),
    ]
    assert reason_for(documents, 1, 2) == "Similar reporting"


def test_shared_tags_still_come_first():
    """Tags both articles carry are named before anything found in the texts."""
    body = "Rates inflation cut, said the Federal Reserve. " + FILLER
    documents = [
        doc(1, "Rates cut", "The Federal Reserve moved.", body, tags=[7]),
        doc(2, "Markets cheer", "The Federal Reserve acted.", body, tags=[7]),
        doc(3, "Cup final tonight", "Fans travel.", "goal striker penalty " + FILLER),
    ]
    assert reason_for(documents, 1, 2) in ("Same story", "Also about Tag 7")


@pytest.mark.parametrize(
    "terms, text_a, text_b, names",
    [
        (
            ["jinping", "xi", "beijing", "hall"],
            "Xi Jinping welcomes Putin\nThe two met in Beijing's Great Hall.",
            "A visit to Beijing\nRussia's president met Xi Jinping on Thursday.",
            ["Xi Jinping", "Beijing"],
        ),
        (
            ["nikkei", "tokyo"],
            "Tokyo's worst day\nThe Nikkei fell 12 per cent.",
            "Markets calm\nTraders said the Nikkei would recover.",
            ["Nikkei"],
        ),
        (
            ["leaders", "summit", "july"],
            "Summit pledges aid\nLeaders of the 32 allies met in July.",
            "Summit ends\nLeaders agreed. They meet again in July.",
            [],
        ),
        (
            ["japanese", "japan", "nikkei"],
            "Yen falls\nExporters in Japan cheered; Japanese banks did not.",
            "A weak yen\nThe Bank of Japan held rates as Japanese savers fretted.",
            ["Japanese"],
        ),
        (
            ["газпром", "добычу"],
            "Нефть дешевеет\nМинистр заявил, что Газпром снизит добычу.",
            "Газпром и рынок\nАкции упали, и Газпром ответил.",
            ["Газпром"],
        ),
    ],
)
def test_names_are_written_with_a_capital_where_it_means_one(
    terms, text_a, text_b, names
):
    """A shared term is a name when both texts write it with a capital, once
    mid-sentence; it widens to the capitalised words around it ("Xi Jinping");
    a word that only opens headlines, standfirsts or sentences, months and
    days are not names, in any script; a place and its demonym are one."""
    from byline.related import reasons

    assert reasons.shared_names(terms, text_a, text_b) == names


def test_a_name_only_one_article_writes_is_not_shared():
    """ "National Democratic Alliance" in one article and "alliance" in the other
    is no shared topic: the reason is the section."""
    body = "alliance coalition seats majority parliament " + FILLER
    documents = [
        doc(1, "Modi wins again", "The National Democratic Alliance won.", body),
        doc(2, "Parties talk", "Talks on a coalition went on.", body),
        doc(3, "Cup final tonight", "Fans travel.", "goal striker penalty " + FILLER),
    ]
    assert reason_for(documents, 1, 2) == "More from World"
