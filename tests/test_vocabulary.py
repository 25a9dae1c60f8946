"""content/vocabulary.yaml: relation types as content; relations' status and edges."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.editing import schema
from briefing.model.contract import RELATION_TYPES
from briefing.model.errors import ContentError
from briefing.model.vocabulary import BUILT_IN_EVENT_TYPES, BUILT_IN_VOCABULARY, VOCABULARY_FILE
from briefing.present.diagram import graph, relation_diagram
from briefing.project import Project
from tests.helpers import ROOT, make_corpus

V = f"content/{VOCABULARY_FILE}"
R = "content/relations/tie.yaml"
SVG = "{http://www.w3.org/2000/svg}"
VOCABULARY = """\
    relation_types:
      - id: trade
        label: trade
        description: Trade.
      - id: arms-supply
        label: arms supply
        description: One side supplies arms to the other.
        directed: yes
        actor_types: [state]
    """
IRAN = """\
    id: iran
    name: Iran
    type: state
    summary: A state.
    """
GROUP = """\
    id: militia
    name: A militia
    type: group
    summary: A group.
    """


def tie(types: str, *extra: str, actors: str = "[china, russia]") -> str:
    """A relation sheet with the given types and extra lines."""
    lines = ["id: tie", "title: A tie", "summary: A tie.", f"actors: {actors}", f"types: {types}"]
    return "\n".join([*lines, *extra]) + "\n"


def problems(tmp_path: Path, files: dict[str, str | bytes]) -> list[str]:
    with pytest.raises(ContentError) as error:
        check(make_corpus(tmp_path, files))
    return [str(p) for p in error.value.problems]


def test_a_new_type_is_a_content_change(tmp_path: Path) -> None:
    """A type the code has never heard of, added in the sheet, checks, draws and reaches the
    schema; `schema --check` notices the sheet changed until the schemas are rewritten."""
    assert "cyber-operations" not in RELATION_TYPES
    vocabulary = VOCABULARY.rstrip(" ") + (
        "      - id: cyber-operations\n        label: cyber operations\n"
        "        description: Intrusions into the other's networks.\n        directed: yes\n"
    )
    project = make_corpus(tmp_path, {V: vocabulary, R: tie("[cyber-operations, trade]")})
    corpus = check(project).corpus
    assert corpus.vocabulary.label("cyber-operations") == "cyber operations"
    assert "cyber operations" in relation_diagram(corpus, only=["tie"])
    assert any("is missing" in m for m in schema.stale_schemas(project.root))
    schema.write_schemas(project.root)
    assert schema.stale_schemas(project.root) == []
    relation = (project.root / "schema/relation.schema.json").read_text(encoding="utf-8")
    assert '"cyber-operations"' in relation and '"troops"' not in relation
    (project.root / V).write_text(vocabulary.replace("cyber", "space"), encoding="utf-8")
    assert schema.stale_schemas(project.root) == [
        "schema/relation.schema.json is out of date with briefing/model/contract.py "
        "or content/vocabulary.yaml; run `python build.py schema`"
    ]


@pytest.mark.parametrize(
    ("files", "messages"),
    [
        (
            {V: VOCABULARY, R: tie("[trad]")},
            [
                f"{R}:5:9: unknown relation type 'trad'; content/vocabulary.yaml defines "
                "trade, arms-supply (did you mean 'trade'?)"
            ],
        ),
        (
            {R: tie("[troop]")},
            [
                f"{R}:5:9: unknown relation type 'troop'; content/vocabulary.yaml defines "
                f"{', '.join(RELATION_TYPES)} (did you mean 'troops'?)"
            ],
        ),
        (
            {
                V: VOCABULARY.rstrip(" ")
                + "      - id: trade\n        label: t\n        description: d\n"
            },
            [f"{V}:10:5: relation type 'trade' is defined twice (first at line 2)"],
        ),
        (
            {V: VOCABULARY.replace("directed: yes", "directed: true")},
            [f"{V}:8:15: 'directed' must be one of yes, no (got 'true')"],
        ),
        (
            {R: tie("[trade]", "status: maybe")},
            [f"{R}:6:9: 'status' must be one of actual, threatened, possible, ended (got 'maybe')"],
        ),
        (
            {
                "content/actors/militia.yaml": GROUP,
                V: VOCABULARY,
                R: tie("[arms-supply]", actors="[china, militia]"),
            },
            [
                f"{R}:4:17: 'militia' is a group, but relation type 'arms-supply' ties only "
                "state (content/vocabulary.yaml)"
            ],
        ),
    ],
    ids=["did-you-mean", "built-in", "twice", "directed", "status", "actor-type"],
)
def test_vocabulary_problems_are_located(
    tmp_path: Path, files: dict[str, str | bytes], messages: list[str]
) -> None:
    assert problems(tmp_path, files) == messages


THREE = "[china, russia, iran]"


@pytest.mark.parametrize(
    ("edges", "messages"),
    [
        (
            ["edges:", "  - from: china", "    to: ukraine", "    type: arms-supply"],
            [
                f"{R}:8:9: 'ukraine' is not one of this relation's actors (china, russia, iran)",
                f"{R}:8:9: unknown reference 'ukraine': no sheet has this id yet; "
                "write it with `briefing new actor ukraine`, or correct the id",
            ],
        ),
        (
            ["edges:", "  - from: china", "    to: russia", "    type: trade"],
            [
                f"{R}:7:5: relation type 'trade' has no direction; name the two actors with "
                "'between: [a, b]' instead of 'from' and 'to'"
            ],
        ),
        (
            ["edges:", "  - between: [china, iran]", "    type: energy"],
            [
                f"{R}:7:5: edge type 'energy' is not in this relation's 'types' "
                "(arms-supply, trade); add it there or choose one of them"
            ],
        ),
        (
            ["edges:", "  - from: china", "    type: arms-supply"],
            [f"{R}:7:5: an edge with 'from' needs 'to', and one with 'to' 'from'"],
        ),
        (
            ["edges:", "  - between: [china]", "    type: trade"],
            [f"{R}:7:5: an edge names two actors: 'from' and 'to', or 'between: [a, b]'"],
        ),
    ],
    ids=["not-an-actor", "undirected", "not-its-type", "half", "one-actor"],
)
def test_edges_are_checked(tmp_path: Path, edges: list[str], messages: list[str]) -> None:
    files: dict[str, str | bytes] = {
        "content/actors/iran.yaml": IRAN,
        R: tie("[arms-supply, trade]", *edges, actors=THREE),
    }
    assert problems(tmp_path, files) == messages


def test_edges_are_drawn_exactly_with_arrows_and_status(tmp_path: Path) -> None:
    edges = [
        "status: possible",
        "edges:",
        "  - from: iran",
        "    to: russia",
        "    type: arms-supply",
        "  - between: [china, russia]",
        "    type: trade",
    ]
    files: dict[str, str | bytes] = {
        "content/actors/iran.yaml": IRAN,
        R: tie("[arms-supply, trade]", *edges, actors=THREE),
    }
    corpus = check(make_corpus(tmp_path, files)).corpus
    _, ties = graph(corpus, only=["tie"])
    assert [(t.actors, t.label, t.directed) for t in ties] == [
        (("china", "russia"), "trade (possible)", False),
        (("iran", "russia"), "arms supply (possible)", True),
    ]
    root = ET.fromstring(relation_diagram(corpus, only=["tie"], href=lambda i: f"../{i}/"))
    assert len(root.findall(f".//{SVG}g[@class='bf-diagram-arrows']/{SVG}path")) == 1
    paths = root.findall(f".//{SVG}g[@class='bf-diagram-edges']/{SVG}path")
    assert [p.get("stroke-dasharray") for p in paths] == ["7 4", "7 4"]
    assert root.findall(f".//{SVG}circle") == []  # edges given: no hub
    # Links inside the image take no Tab stop; the description says where they lead.
    assert {a.get("tabindex") for a in root.iter(f"{SVG}a")} == {"-1"}
    desc = root.find(f"{SVG}desc")
    assert desc is not None and "Iran to Russia: arms supply (possible) (A tie)." in (
        desc.text or ""
    )


def test_many_actors_without_edges_are_one_hub_not_every_type_on_every_pair(
    tmp_path: Path,
) -> None:
    files: dict[str, str | bytes] = {
        "content/actors/iran.yaml": IRAN,
        R: tie("[arms-supply, trade]", actors=THREE),
    }
    corpus = check(make_corpus(tmp_path, files)).corpus
    for center in (None, "china"):
        _, ties = graph(corpus, center)
        assert [(t.actors, t.label) for t in ties] == [
            (("china", "iran", "russia"), "arms supply, trade")
        ]


def test_two_actors_draw_one_labelled_edge_per_type(tmp_path: Path) -> None:
    corpus = check(make_corpus(tmp_path, {R: tie("[trade, arms-supply]")})).corpus
    _, ties = graph(corpus)
    assert [(t.label, t.directed, t.status) for t in ties] == [
        ("arms supply", False, "actual"),  # the sheet gives no direction: no arrow
        ("trade", False, "actual"),
    ]


def test_todays_content_checks_without_the_sheet(tmp_path: Path) -> None:
    """Old projects, without content/vocabulary.yaml, fall back to the built-in types."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / VOCABULARY_FILE).unlink()
    with_sheet = check(Project(ROOT)).corpus
    without = check(Project(tmp_path)).corpus
    assert without.vocabulary == BUILT_IN_VOCABULARY
    assert len(without.sheets) == len(with_sheet.sheets)
    labels = [(t.id, t.label, t.directed) for t in with_sheet.vocabulary.relation_types]
    assert labels == [(t.id, t.label, t.directed) for t in BUILT_IN_VOCABULARY.relation_types]
    events = [(t.id, t.label) for t in with_sheet.vocabulary.event_types]
    assert events == [(t.id, t.label) for t in BUILT_IN_EVENT_TYPES]


E = "content/events/bang.yaml"
EVENT_TYPES = """\
    event_types:
      - id: strike
        label: air strike
        description: A strike from the air.
      - id: summit
        label: summit
        description: Heads of state meet.
        actor_types: [state]
    """


def event(event_type: str, actors: str = "[china, russia]") -> str:
    """An event sheet of the given type."""
    return f"id: bang\ntitle: A bang\ntype: {event_type}\nsummary: A bang.\nactors: {actors}\n"


def test_a_new_event_type_is_a_content_change(tmp_path: Path) -> None:
    """An event type the code has never heard of, added in the sheet, checks, is labelled and
    reaches the event schema; `schema --check` notices until the schemas are rewritten."""
    assert "strike" not in {t.id for t in BUILT_IN_EVENT_TYPES}
    project = make_corpus(tmp_path, {V: VOCABULARY.rstrip(" ") + EVENT_TYPES, E: event("strike")})
    corpus = check(project).corpus
    assert corpus.vocabulary.event_label("strike") == "air strike"
    assert corpus.by_id["bang"].type == "strike"  # type: ignore[attr-defined]
    assert "schema/event.schema.json is missing" in " ".join(schema.stale_schemas(project.root))
    schema.write_schemas(project.root)
    assert schema.stale_schemas(project.root) == []
    text = (project.root / "schema/event.schema.json").read_text(encoding="utf-8")
    assert '"strike"' in text and '"election"' not in text


def test_a_sheet_without_event_types_gets_the_built_in_ones(tmp_path: Path) -> None:
    corpus = check(make_corpus(tmp_path, {V: VOCABULARY, E: event("meeting")})).corpus
    assert corpus.vocabulary.event_types == BUILT_IN_EVENT_TYPES
    assert corpus.vocabulary.event_label("meeting") == "meeting"


@pytest.mark.parametrize(
    ("files", "messages"),
    [
        (
            {V: VOCABULARY.rstrip(" ") + EVENT_TYPES, E: event("strik")},
            [
                f"{E}:3:7: unknown event type 'strik'; content/vocabulary.yaml defines "
                "strike, summit (did you mean 'strike'?)"
            ],
        ),
        (
            {E: event("meting")},
            [
                f"{E}:3:7: unknown event type 'meting'; content/vocabulary.yaml defines "
                f"{', '.join(t.id for t in BUILT_IN_EVENT_TYPES)} (did you mean 'meeting'?)"
            ],
        ),
        (
            {
                V: VOCABULARY.rstrip(" ")
                + EVENT_TYPES.rstrip(" ")
                + "      - id: strike\n        label: s\n        description: d\n"
            },
            [f"{V}:18:5: event type 'strike' is defined twice (first at line 11)"],
        ),
        (
            {
                V: VOCABULARY.rstrip(" ")
                + EVENT_TYPES.replace("air.\n", "air.\n        directed: no\n")
            },
            [
                f"{V}:14:5: unknown field 'directed' in event_type "
                "(allowed: id, label, description, actor_types)"
            ],
        ),
        (
            {
                "content/actors/militia.yaml": GROUP,
                V: VOCABULARY.rstrip(" ") + EVENT_TYPES,
                E: event("summit", actors="[china, militia]"),
            },
            [
                f"{E}:5:17: 'militia' is a group, but event type 'summit' involves only "
                "state (content/vocabulary.yaml)"
            ],
        ),
    ],
    ids=["did-you-mean", "built-in", "twice", "no-direction", "actor-type"],
)
def test_event_type_problems_are_located(
    tmp_path: Path, files: dict[str, str | bytes], messages: list[str]
) -> None:
    assert problems(tmp_path, files) == messages
