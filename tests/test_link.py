"""Stage 3: ids indexed, references resolved with suggestions, backlinks collected."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.link import Backlink
from briefing.model.errors import ContentError
from tests.helpers import make_corpus

R = "content/relations/trade.yaml"
RELATION = """\
id: trade
title: Trade
summary: "{summary}"
actors: [{actors}]
types: [trade]
"""

BAD_REFERENCES = [
    (
        "unknown id in a field",
        {"actors": "china, russa", "summary": "s"},
        [f"{R}:4:17: unknown reference 'russa' (did you mean 'russia'?)"],
    ),
    (
        "unknown id without suggestion",
        {"actors": "china, zzz", "summary": "s"},
        [
            f"{R}:4:17: unknown reference 'zzz': no sheet has this id yet; "
            "write it with `briefing new actor zzz`, or correct the id"
        ],
    ),
    (
        "id of the wrong kind",
        {"actors": "china, article", "summary": "s"},
        [f"{R}:4:17: 'article' is a source, but this field names a actor"],
    ),
    (
        "unknown [[ref]] in text",
        {"actors": "china, russia", "summary": "Ties [[chna]] to [[russia]]."},
        [f"{R}:3:10: unknown reference 'chna' (did you mean 'china'?)"],
    ),
    (
        "unknown statement",
        {"actors": "china, russia", "summary": "See [[china#trad]]."},
        [f"{R}:3:10: unknown statement 'trad' in 'china' (did you mean 'trade'?)"],
    ),
    (
        "malformed [[ref]]",
        {"actors": "china, russia", "summary": "See [[Big China]]."},
        [
            f"{R}:3:10: '[[Big China]]' is not a reference; write [[id]], [[id|label]] or [[id#statement-id]]"
        ],
    ),
]


@pytest.mark.parametrize(
    ("fields", "expected"), [c[1:] for c in BAD_REFERENCES], ids=[c[0] for c in BAD_REFERENCES]
)
def test_bad_references_are_reported_exactly(
    tmp_path: Path, fields: dict[str, str], expected: list[str]
) -> None:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, {R: RELATION.format(**fields)}))
    assert [str(p) for p in raised.value.problems] == expected


def test_duplicate_ids_across_kinds(tmp_path: Path) -> None:
    event = "id: china\ntitle: T\nsummary: s\ndate: '2024'\n"
    project = make_corpus(tmp_path, {"content/events/china.yaml": event})
    with pytest.raises(ContentError) as raised:
        check(project)
    assert [str(p) for p in raised.value.problems] == [
        "content/events/china.yaml:1:1: duplicate id 'china': also used by "
        "content/actors/china.yaml; ids are unique across all kinds"
    ]


def test_references_to_a_broken_sheet_are_not_reported_twice(tmp_path: Path) -> None:
    files = {"content/actors/russia.yaml": "id: russia\nname: Russia\n"}
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files))
    assert [p.message for p in raised.value.problems] == [
        "missing required field 'summary' in actor; add 'summary: ...'",
        "missing required field 'type' in actor; add 'type: ...'",
    ]


def test_backlinks_name_the_sheet_and_statement(tmp_path: Path) -> None:
    relation = RELATION.format(actors="china, russia", summary="See [[china#trade|the record]].")
    corpus = check(make_corpus(tmp_path, {R: relation})).corpus
    assert corpus.backlinks["china"] == (Backlink("russia", ""), Backlink("trade", ""))
    assert corpus.backlinks["russia"] == (Backlink("trade", ""),)
    assert corpus.backlinks["article"] == (Backlink("china", "trade"),)
    assert [s.id for s in corpus.sheets] == ["china", "russia", "trade", "article"]
