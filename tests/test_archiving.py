"""Archived texts as real sources give them: hard-wrapped lines, broken words, blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.coverage import coverage, split_sentences
from briefing.check.verify import paragraphs
from briefing.model.errors import ContentError
from tests.helpers import make_corpus

# As text converted from a PDF reads: a running header, wrapped lines, a word broken at a line
# end, a caption, and a blank line between paragraphs.
WRAPPED = """\
THE EXAMPLE GAZETTE
Page 1 of 2

The council imposed sanc-
tions on the quarry last
week. It fined the owners
twice.

Photo: the quarry at dawn.
Credit: an invented agency.

The owners plan an appeal.
"""


def test_wrapped_lines_are_joined_and_broken_words_mended() -> None:
    found = [(p.text, [line for _, line in p.starts]) for p in paragraphs(WRAPPED)]
    assert found == [
        ("THE EXAMPLE GAZETTE Page 1 of 2", [1, 2]),
        (
            "The council imposed sanctions on the quarry last week. It fined the owners twice.",
            [4, 5, 6, 7],
        ),
        ("Photo: the quarry at dawn. Credit: an invented agency.", [9, 10]),
        ("The owners plan an appeal.", [12]),
    ]


def test_sentences_not_lines_are_counted() -> None:
    assert [(s.line, s.text) for s in split_sentences(WRAPPED)] == [
        (1, "THE EXAMPLE GAZETTE Page 1 of 2"),
        (4, "The council imposed sanctions on the quarry last week."),
        (6, "It fined the owners twice."),
        (9, "Photo: the quarry at dawn."),
        (10, "Credit: an invented agency."),
        (12, "The owners plan an appeal."),
    ]


def test_a_text_without_blank_lines_keeps_one_paragraph_per_line() -> None:
    text = "A headline without a stop\nThe first paragraph.\ncontinued in lowercase.\n"
    assert [s.text for s in split_sentences(text)] == [
        "A headline without a stop",
        "The first paragraph. continued in lowercase.",
    ]


SOURCE = """\
id: gazette
title: The gazette
summary: A wrapped source.
text: gazette.txt
excluded:
{excluded}
"""
STATEMENTS = """\
id: quarry
name: Quarry
type: organization
summary: s.
statements:
  - id: fined
    text: The council imposed sanctions on the quarry last week and fined the owners twice.
    kind: reported
    source: gazette
    quote: The council imposed sanctions on the quarry last week. It fined the owners twice.
  - id: appeal
    text: The owners plan an appeal.
    kind: reported
    source: gazette
    quote: The owners plan an appeal.
"""
BLOCKS = """\
  - quote: THE EXAMPLE GAZETTE Page 1 of 2
    reason: running header
  - from: "Photo:"
    to: an invented agency.
    reason: caption and credit
"""


def corpus_files(excluded: str) -> dict[str, str | bytes]:
    return {
        "content/sources/gazette.txt": WRAPPED,
        "content/sources/gazette.yaml": SOURCE.format(excluded=excluded),
        "content/actors/quarry.yaml": STATEMENTS,
    }


def test_quotes_need_not_reproduce_the_layout_and_blocks_are_excluded(tmp_path: Path) -> None:
    checked = check(make_corpus(tmp_path, corpus_files(BLOCKS)))
    [result] = [r for r in coverage(checked) if r.source_id == "gazette"]
    assert (result.covered, result.counted, result.excluded_count) == (3, 3, 3)
    assert [len(e.sentences) for e in result.excluded] == [1, 2]


BAD = [
    (
        "neither",
        "  - reason: nothing\n",
        "content/sources/gazette.yaml:6:5: an exclusion has either 'quote' (a passage) or "
        "both 'from' and 'to' (a block, from its first words through its last), not both or "
        "neither",
    ),
    (
        "from without to",
        '  - from: "Photo:"\n    reason: caption\n',
        "content/sources/gazette.yaml:6:5: an exclusion has either 'quote' (a passage) or "
        "both 'from' and 'to' (a block, from its first words through its last), not both or "
        "neither",
    ),
    (
        "to before from",
        '  - from: "Photo:"\n    to: Page 1 of 2\n    reason: caption\n',
        "content/sources/gazette.yaml:7:9: 'to' does not occur after 'from' in source "
        "'gazette' (content/sources/gazette.txt); a block runs from its first words to its last",
    ),
]


@pytest.mark.parametrize(("excluded", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_exclusions_are_located(tmp_path: Path, excluded: str, expected: str) -> None:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, corpus_files(excluded)))
    assert [str(p) for p in raised.value.problems] == [expected]


def test_a_mirror_is_checked_as_a_url(tmp_path: Path) -> None:
    sheet = SOURCE.format(excluded=BLOCKS) + "publication:\n  mirror: ftp://mirror.example/x\n"
    files = {**corpus_files(BLOCKS), "content/sources/gazette.yaml": sheet}
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files))
    assert [str(p) for p in raised.value.problems] == [
        "content/sources/gazette.yaml:13:11: 'mirror' must start with https:, http: or "
        "mailto: (got 'ftp://mirror.example/x')"
    ]
