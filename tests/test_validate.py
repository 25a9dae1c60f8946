"""Stage 2: the content contract, enforced with precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.model.errors import ContentError
from briefing.model.records import Actor, Event, PartialDate
from tests.helpers import make_corpus

A = "content/actors/iran.yaml"
E = "content/events/sanctions.yaml"

GOOD_ACTOR = """\
id: iran
name: Iran
type: state
summary: A state.
"""

BAD_SHEETS = [
    (
        "missing field",
        {A: "id: iran\nname: Iran\nsummary: x\n"},
        [f"{A}:1:1: missing required field 'type' in actor; add 'type: ...'"],
    ),
    (
        "unknown field with suggestion",
        {A: GOOD_ACTOR + "aliasses: [Tehran]\n"},
        [f"{A}:5:1: unknown field 'aliasses' in actor (did you mean 'aliases'?)"],
    ),
    (
        "unknown field without suggestion",
        {A: GOOD_ACTOR + "zzz: 1\n"},
        [
            f"{A}:5:1: unknown field 'zzz' in actor (allowed: id, name, summary, type, aliases, editorial_aliases, role, interests, tags, statements)"
        ],
    ),
    (
        "wrong type: list expected",
        {A: GOOD_ACTOR + "aliases: Tehran\n"},
        [f"{A}:5:10: 'aliases' must be a list, not text"],
    ),
    (
        "wrong type: text expected",
        {A: GOOD_ACTOR.replace("summary: A state.", "summary: [a, b]")},
        [f"{A}:4:10: 'summary' must be text, not a list"],
    ),
    (
        "empty required field",
        {A: GOOD_ACTOR.replace("summary: A state.", "summary:")},
        [f"{A}:4:9: 'summary' is empty; fill it in"],
    ),
    (
        "bad slug",
        {A: GOOD_ACTOR.replace("id: iran", "id: Iran")},
        [
            f"{A}:1:5: 'id' must be a slug of lowercase letters, digits and single hyphens, like 'north-korea' (got 'Iran')"
        ],
    ),
    (
        "path in id",
        {A: GOOD_ACTOR.replace("id: iran", "id: ../iran")},
        [
            f"{A}:1:5: 'id' must be a slug of lowercase letters, digits and single hyphens, like 'north-korea' (got '../iran')"
        ],
    ),
    (
        "id differs from file name",
        {A: GOOD_ACTOR.replace("id: iran", "id: persia")},
        [
            f"{A}:1:5: id 'persia' does not match the file name 'iran.yaml'; rename the file or change the id"
        ],
    ),
    (
        "bad choice",
        {A: GOOD_ACTOR.replace("type: state", "type: stat")},
        [
            f"{A}:3:7: 'type' must be one of state, person, organization, group (got 'stat') (did you mean 'state'?)"
        ],
    ),
    (
        "markup in a name",
        {A: GOOD_ACTOR.replace("name: Iran", "name: <b>Iran</b>")},
        [f"{A}:2:7: 'name' must not contain '<', '>' or HTML entities"],
    ),
    (
        "entity in a name",
        {A: GOOD_ACTOR.replace("name: Iran", "name: Iran &lt;x")},
        [f"{A}:2:7: 'name' must not contain '<', '>' or HTML entities"],
    ),
    (
        "multi-line title",
        {A: GOOD_ACTOR.replace("name: Iran", 'name: "Iran\\nx"')},
        [f"{A}:2:7: 'name' must be one line; join the lines"],
    ),
    (
        "empty list item",
        {A: GOOD_ACTOR + "aliases: [Tehran, '']\n"},
        [f"{A}:5:19: empty item in 'aliases'; remove it or fill it in"],
    ),
    (
        "bad date",
        {E: "id: sanctions\ntitle: S\nsummary: s\ndate: 2024-02-30\n"},
        [f"{E}:4:7: 'date' is not a real date (day is out of range for month) (got '2024-02-30')"],
    ),
    (
        "badly formed date",
        {E: "id: sanctions\ntitle: S\nsummary: s\ndate: October 2024\n"},
        [
            f"{E}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD (got 'October 2024')"
        ],
    ),
    (
        "non-ASCII digits in a date",
        {E: "id: sanctions\ntitle: S\nsummary: s\ndate: \u0662\u0660\u0662\u0664\n"},
        [
            f"{E}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD (got '\u0662\u0660\u0662\u0664')"
        ],
    ),
    (
        "bad url scheme",
        {
            "content/sources/article.yaml": "id: article\ntitle: A\nsummary: s\ntext: article.txt\npublication:\n  url: javascript:alert(1)\n"
        },
        [
            "content/sources/article.yaml:6:8: 'url' must start with https:, http: or mailto: (got 'javascript:alert(1)')"
        ],
    ),
    (
        "url without host",
        {
            "content/sources/article.yaml": "id: article\ntitle: A\nsummary: s\ntext: article.txt\npublication:\n  url: https:///x\n"
        },
        [
            "content/sources/article.yaml:6:8: 'url' needs a host, like https://example.org/page (got 'https:///x')"
        ],
    ),
    (
        "text file outside the folder",
        {"content/sources/article.yaml": "id: article\ntitle: A\nsummary: s\ntext: ../../.env\n"},
        [
            "content/sources/article.yaml:1:1: 'text' must be the name of a .txt file beside the sheet, without folders (got '../../.env')"
        ],
    ),
    (
        "attributed without attribution",
        {
            A: GOOD_ACTOR
            + "statements:\n  - id: s\n    text: t\n    kind: attributed\n    source: article\n    quote: Trade between China and Russia\n"
        },
        [
            f"{A}:6:5: statement 's' is kind 'attributed' but has no 'attributed_to'; say who the source attributes it to"
        ],
    ),
    (
        "duplicate statement id",
        {
            A: GOOD_ACTOR
            + "statements:\n"
            + "  - id: s\n    text: t\n    kind: reported\n    source: article\n    quote: Trade between China and Russia\n"
            * 2
        },
        [
            f"{A}:11:5: duplicate statement id 's' (first at line 6); statement ids are unique in a sheet"
        ],
    ),
    (
        "unknown statement field",
        {
            A: GOOD_ACTOR
            + "statements:\n  - id: s\n    txt: t\n    kind: reported\n    source: article\n    quote: Trade\n"
        },
        [
            f"{A}:6:5: missing required field 'text' in statement; add 'text: ...'",
            f"{A}:7:5: unknown field 'txt' in statement (did you mean 'text'?)",
        ],
    ),
    (
        "relation with one actor",
        {
            "content/relations/r.yaml": "id: r\ntitle: R\nsummary: s\nactors: [china, china]\ntypes: [trade]\n"
        },
        ["content/relations/r.yaml:1:1: a relation ties at least two different actors in 'actors'"],
    ),
    (
        "relation without types",
        {
            "content/relations/r.yaml": "id: r\ntitle: R\nsummary: s\nactors: [china, russia]\ntypes: []\n"
        },
        ["content/relations/r.yaml:1:1: 'types' must list at least one item"],
    ),
    (
        "key judgment that is not a statement",
        {
            "content/briefings/b.yaml": "id: b\ntitle: B\nsummary: s\nbluf: x\nkey_judgments: [china]\n"
        },
        ["content/briefings/b.yaml:5:17: 'judgment' must name a statement: sheet-id#statement-id"],
    ),
]


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files))
    return [str(p) for p in raised.value.problems]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in BAD_SHEETS], ids=[c[0] for c in BAD_SHEETS]
)
def test_bad_sheets_are_reported_exactly(
    tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    assert problems_of(tmp_path, files) == expected


def test_valid_sheets_become_typed_records(tmp_path: Path) -> None:
    event = "id: sanctions\ntitle: S\nsummary: s\ndate: '2024-10'\nactors: [china]\n"
    corpus = check(make_corpus(tmp_path, {A: GOOD_ACTOR + "aliases: [Tehran]\n", E: event})).corpus
    iran = corpus.by_id["iran"]
    assert isinstance(iran, Actor)
    assert iran.aliases == ("Tehran",)
    assert iran.statements == () and iran.role is None
    sanctions = corpus.by_id["sanctions"]
    assert isinstance(sanctions, Event)
    assert sanctions.date.value == "2024-10"
    assert sanctions.date.loc.line == 4


def test_empty_optional_object_is_left_out(tmp_path: Path) -> None:
    sheet = "id: article\ntitle: A\nsummary: s\ntext: article.txt\npublication:\n"
    corpus = check(make_corpus(tmp_path, {"content/sources/article.yaml": sheet})).corpus
    assert corpus.by_id["article"].publication is None  # type: ignore[attr-defined]


def test_problems_from_several_files_are_all_reported_sorted(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        {
            A: GOOD_ACTOR.replace("type: state", "type: nation"),
            "content/actors/a.yaml": "id: a\n",
        },
    )
    assert [p.split(": ")[0] for p in problems] == [
        "content/actors/a.yaml:1:1",
        "content/actors/a.yaml:1:1",
        "content/actors/a.yaml:1:1",
        f"{A}:3:7",
    ]


@pytest.mark.parametrize(
    ("value", "key"),
    [("2024", (2024, 0, 0)), ("2024-10", (2024, 10, 0)), ("2024-10-23", (2024, 10, 23))],
)
def test_partial_dates_sort_before_their_days(value: str, key: tuple[int, int, int]) -> None:
    from briefing.model.errors import Loc

    assert PartialDate(value, Loc("x")).sort_key == key


FIGURE_SHEET = GOOD_ACTOR + """\
statements:
  - id: s
    text: A claim.
    kind: reported
    source: nowhere
    quote: A claim.
    figures:
      - value: {value}
        what: A share.
"""


@pytest.mark.parametrize("value", ["240", "1,200", "2.5", "~30", "10-12", "10 to 12", "-3"])
def test_figure_values_that_are_quantities_pass_validation(tmp_path: Path, value: str) -> None:
    problems = problems_of(tmp_path, {A: FIGURE_SHEET.format(value=f'"{value}"')})
    assert not [p for p in problems if "'value'" in p]


@pytest.mark.parametrize("value", ["nearly all", "four", "240 or so", "a third"])
def test_a_figure_that_is_not_a_quantity_is_refused_where_it_is(
    tmp_path: Path, value: str
) -> None:
    problems = problems_of(tmp_path, {A: FIGURE_SHEET.format(value=value)})
    assert [p for p in problems if "'value'" in p] == [
        f"{A}:12:16: 'value' must be a number or a numeric range such as '240' or '10-12' "
        f"(got '{value}'); a figure is a quantity: write this as the statement's text"
    ]


def test_editorial_aliases_are_read_apart_from_the_sources_aliases(tmp_path: Path) -> None:
    sheet = GOOD_ACTOR + "aliases: [Tehran]\neditorial_aliases: [Islamic Republic]\n"
    actor = check(make_corpus(tmp_path, {A: sheet})).corpus.by_id["iran"]
    assert isinstance(actor, Actor)
    assert (actor.aliases, actor.editorial_aliases) == (("Tehran",), ("Islamic Republic",))
