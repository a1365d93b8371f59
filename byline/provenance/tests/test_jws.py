"""The JOSE framing of records: canonical JSON as RFC 8785 writes it."""

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from byline.news.models import TypeOfWork
from byline.provenance.jws import canonical_json

# Strings with what JCS escapes or orders specially: quotes, backslashes,
# control characters, DEL, non-BMP characters (UTF-16 surrogate pairs) and
# lone surrogates, which neither encoder may write.
TEXT = st.text(
    alphabet=st.sampled_from(
        [*'a"\\/\x00\x01\x08\x09\x0a\x0c\x0d\x1f\x7f\u00e9\u2028\ufeff\uffff',
         "\U0001f600", "\U00010000", "\ud800", "\udfff"]
    ),
    max_size=8,
)  # fmt: skip
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4)
    ),
    max_leaves=12,
)


def outcome(encode, value):
    try:
        return encode(value)
    except Exception:  # which values each refuses matters as much
        return "refused"  # by both, whatever their exception types


@settings(max_examples=600, deadline=None)
@given(JSON_VALUES)
def test_canonical_json_writes_what_rfc8785_writes(value):
    """Every value gives the same bytes as the rfc8785 package, or both refuse it."""
    assert outcome(canonical_json, value) == outcome(rfc8785.dumps, value)


@pytest.mark.parametrize(
    "value",
    [
        {"b": 1, "a": [True, None, 'x\u2028"\\\x1f']},
        {"\U0001f600": 1, "\uffff": 2, "é": 3},  # UTF-16 order, not code points
        {"n": 2**53 - 1, "m": -(2**53 - 1)},
        {"page_id": 7, "headline": "Ça va", "authors": [], "prev": ""},
        {"type_of_work": TypeOfWork.OPINION},  # a str subclass, written as its text
    ],
)
def test_canonical_json_of_typical_and_edge_payloads(value):
    """Key order, escapes and the largest exact integers, as RFC 8785."""
    assert canonical_json(value) == rfc8785.dumps(value)


def test_a_payload_with_text_choices_is_written_without_the_rfc8785_package(
    monkeypatch,
):
    """What a record signs (text choices included) goes through the standard
    library's encoder, and its bytes are still RFC 8785's."""
    payload = {"v": 2, "type_of_work": TypeOfWork.NEWS, "sources": [{"url": ""}]}
    expected = rfc8785.dumps(payload)
    fallbacks = []
    monkeypatch.setattr(rfc8785, "dumps", lambda value: fallbacks.append(value))
    assert canonical_json(payload) == expected
    assert fallbacks == []
