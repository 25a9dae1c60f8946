"""check as the editor's reviewer: missing sheets, quotes cited to the wrong source, hedges."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.fidelity import hedges
from briefing.model.errors import ContentError
from tests.helpers import make_corpus

A = "content/actors/iran.yaml"


def actor(text: str, quote: str, extra: str = "", source: str = "article") -> str:
    return (
        f"id: iran\nname: Iran\ntype: state\nsummary: A state.\nstatements:\n"
        f"  - id: s\n    text: {text}\n    kind: reported\n    source: {source}\n"
        f"    quote: {quote}\n{extra}"
    )


def problems(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files))
    return [str(p) for p in raised.value.problems]


TRADE = "Trade between China and Russia reached a record $240 billion last year."
RELATION = "id: tie\ntitle: A tie\nsummary: s.\ntypes: [trade]\nactors: [china, {actor}]\n"
MISSING = [
    (
        "typo",
        {"content/relations/tie.yaml": RELATION.format(actor="rusia")},
        "content/relations/tie.yaml:5:17: unknown reference 'rusia' (did you mean 'russia'?)",
    ),
    (
        "actor not yet written",
        {"content/relations/tie.yaml": RELATION.format(actor="iceland")},
        "content/relations/tie.yaml:5:17: unknown reference 'iceland': no sheet has this id "
        "yet; write it with `briefing new actor iceland`, or correct the id",
    ),
    (
        "source not yet written",
        {A: actor(TRADE, TRADE, source="yearbook")},
        f"{A}:9:13: unknown reference 'yearbook': no sheet has this id yet; write it with "
        "`briefing new source yearbook`, or correct the id",
    ),
    (
        "kind unknown in a link",
        {A: actor("Trades with [[iceland]].", TRADE)},
        f"{A}:7:11: unknown reference 'iceland': no sheet has this id yet; write it with "
        "`briefing new KIND iceland` (KIND: briefing, actor, relation, event, source), or "
        "correct the id",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in MISSING], ids=[c[0] for c in MISSING]
)
def test_a_missing_reference_says_typo_or_new_sheet(
    tmp_path: Path, files: dict[str, str | bytes], expected: str
) -> None:
    assert problems(tmp_path, files) == [expected]


def test_a_quote_found_in_another_source_names_it(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "content/sources/yearbook.txt": "Iran sells oil to China.\n",
        "content/sources/yearbook.yaml": "id: yearbook\ntitle: Y\nsummary: s.\ntext: yearbook.txt\n",
        A: actor("Iran sells oil to China.", "Iran sells oil to China."),
    }
    assert problems(tmp_path, files) == [
        f"{A}:10:12: quote not found in source 'article' (content/sources/article.txt), but "
        "it is in source 'yearbook' (content/sources/yearbook.txt); cite 'source: yearbook'"
    ]


BELIEVE = "Ukrainian officials believe the troops are preparing to join the invading forces."
COULD = "A wider war in the Middle East could puncture energy markets."
DROPPED = [
    ("believe", "The troops are preparing to join the invading forces.", BELIEVE, ""),
    ("could", "A wider war in the Middle East will puncture energy markets.", COULD, ""),
]


@pytest.mark.parametrize(("hedge", "text", "quote", "extra"), DROPPED, ids=[c[0] for c in DROPPED])
def test_a_dropped_hedge_is_a_located_error(
    tmp_path: Path, hedge: str, text: str, quote: str, extra: str
) -> None:
    assert problems(tmp_path, {A: actor(text, quote, extra)}) == [
        f"{A}:7:11: statement 's' drops the hedge '{hedge}' of its quote; keep it in 'text' "
        "or 'attributed_to': a statement is no more certain than its source"
    ]


def test_a_hedge_kept_by_the_attribution_passes(tmp_path: Path) -> None:
    sheet = actor(
        "The troops are preparing to join the invading forces.",
        BELIEVE,
        "    attributed_to: Ukrainian officials, who believe it\n",
    ).replace("kind: reported", "kind: attributed")
    check(make_corpus(tmp_path, {A: sheet}))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It is ostensibly a visit, apparently.", {"ostensibly", "apparently"}),
        ("According to officials, it may happen.", {"according to", "may"}),
        ("Officials believed it; the plan seemed firm.", {"believe", "seem"}),
        ("The talks began in May 2024, on 3 May.", set()),
    ],
)
def test_hedges_are_found_in_any_form_and_the_month_is_not_one(text: str, found: set[str]) -> None:
    assert hedges(text) == found
