"""Each kind of bad JSON Lines record is refused with a reason a person can act on."""

import json

import pytest

from byline.importers.records import RecordError, parse_line


def test_parses_a_complete_record():
    """All fields of DESIGN.md's format are read, tags de-duplicated ignoring case."""
    record = parse_line(
        '{"id": "a-1", "title": " Headline ", "body": "One.\\n\\nTwo.", '
        '"category": "world", "published": "2024-05-16T10:00:00Z", '
        '"author": "Ann Lee", "tags": ["Russia", "russia", "China"]}'
    )
    assert record.source_id == "a-1"
    assert record.title == "Headline"
    assert record.paragraphs == ["One.", "Two."]
    assert record.published.isoformat() == "2024-05-16T10:00:00+00:00"
    assert record.tags == ("Russia", "China")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "T", "body": "B"}', "'id'"),
        ('{"id": "x", "body": "B"}', "'title'"),
        ('{"id": "x", "title": "T", "body": "  "}', "'body'"),
        (
            '{"id": "x", "title": "T", "body": "B", "published": "yesterday"}',
            "ISO 8601",
        ),
        ('{"id": "x", "title": "T", "body": "B", "tags": [1, 2]}', "'tags'"),
        ('{"id": "x", "title": "T", "body": "B", "category": 5}', "'category'"),
        ('{"id": "' + "x" * 300 + '", "title": "T", "body": "B"}', "longer than"),
    ],
)
def test_bad_records_are_refused_with_a_reason(line, reason):
    """Broken JSON, missing fields, wrong types and bad dates each say what is wrong."""
    with pytest.raises(RecordError, match=reason):
        parse_line(line)


def test_body_html_escapes_markup():
    """Markup in an imported body is shown as text, never run as HTML."""
    record = parse_line(
        '{"id": "x", "title": "T", "body": "<script>alert(1)</script>"}'
    )
    assert record.body_html() == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_single_newlines_split_paragraphs_when_no_blank_lines():
    """Corpora with one sentence per line still get paragraphs."""
    record = parse_line('{"id": "x", "title": "T", "body": "A.\\nB."}')
    assert record.paragraphs == ["A.", "B."]


def test_standfirst_skips_repeated_headline_and_cuts_long_leads():
    """The standfirst is the lead paragraph, not the headline again, and stays short."""
    long_lead = "This sentence is long enough. " * 20
    record = parse_line(
        '{"id": "x", "title": "Head", "body": "Head\\n\\n' + long_lead + '\\n\\nMore."}'
    )
    standfirst = record.standfirst()
    assert not standfirst.startswith("Head")
    assert len(standfirst) <= 300
    assert standfirst.endswith(".")


def test_overlong_headline_is_shortened_and_kept_whole_in_the_body():
    """A lead sentence used as a headline fits the title, and no word of it is lost."""
    long_title = "The storm " + "that flattened the coast " * 15 + "ended."
    record = parse_line(
        json.dumps({"id": "x", "title": long_title, "body": "Second paragraph."})
    )
    assert len(record.title) <= 255
    assert record.title.endswith("…")
    assert long_title.startswith(record.title[:-1])
    assert record.paragraphs == [long_title, "Second paragraph."]
    assert record.standfirst() == "Second paragraph."


def test_overlong_headline_repeated_in_the_body_is_not_doubled():
    long_title = "Word " * 80 + "end."
    record = parse_line(
        json.dumps({"id": "x", "title": long_title, "body": long_title + "\nMore."})
    )
    assert record.paragraphs == [" ".join(long_title.split()), "More."]
