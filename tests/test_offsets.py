"""briefing.data.offsets: a quote's place in the archived text as published, in code points."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.check.verify import normalise, normalise_text
from briefing.data.offsets import align

# (published text, quote as an editor writes it, the published text it must select)
CASES = [
    ("One line only.\n", "line only", "line only"),
    ("Curly \u201cquotes\u201d here.\n", 'Curly "quotes" here.', "Curly \u201cquotes\u201d here."),
    ("A dash \u2014 and\u2026 more\n", "A dash - and... more", "A dash \u2014 and\u2026 more"),
    # Hard-wrapped paragraphs (a blank line between them): the line break is a space.
    ("First para\nwraps here.\n\nSecond one.\n", "para wraps", "para\nwraps"),
    # A word the layout broke at a line end is mended.
    ("Trade sanc-\ntions apply.\n\nNext.\n", "Trade sanctions apply", "Trade sanc-\ntions apply"),
    # Windows line ends and a no-break space.
    (
        "Top line.\r\nsecond\u00a0line here.\r\n",
        "Top line. second line",
        "Top line.\r\nsecond\u00a0line",
    ),
    # Runs of spaces and indentation collapse.
    ("  Indented   words\n", "Indented words", "Indented   words"),
    # Across paragraphs of a text with one paragraph per line.
    ("End of one.\nStart of two.\n", "one. Start", "one.\nStart"),
    # An astral character counts as one code point, not two UTF-16 units.
    ("Emoji \U0001f600 then text.\n", "then text", "then text"),
]


@pytest.mark.parametrize(("raw", "quote", "published"), CASES)
def test_a_quote_maps_to_the_published_text(raw: str, quote: str, published: str) -> None:
    aligned = align(raw)
    assert aligned.normalised == normalise_text(raw)
    span = aligned.span(quote)
    assert span is not None
    start, end = span
    assert raw[start:end] == published


def test_offsets_are_code_points() -> None:
    raw = "\U0001f600\U0001f600 after\n"
    start, end = align(raw).span("after") or (0, 0)
    assert (start, end) == (3, 8)


def test_a_quote_that_is_not_there_has_no_span() -> None:
    assert align("Some text.\n").span("other words") is None


_ALPHABET = st.sampled_from(
    [*"abcAB -.\n\n\r\t ", "\u00a0", "\u2014", "\u2026", "\u201c", "\u2019", "\u2028"]
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=80))
def test_every_normalised_character_comes_from_its_span(raw: str) -> None:
    aligned = align(raw)
    assert aligned.normalised == normalise_text(raw)
    previous = 0
    for index, char in enumerate(aligned.normalised):
        start, end = aligned.starts[index], aligned.ends[index]
        assert previous <= start <= end <= len(raw)
        previous = start
        if char != " ":
            # The published characters it stands for fold to it ('\u2026' -> '...').
            assert char in normalise(raw[start:end])
