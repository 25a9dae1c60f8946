"""The JSON Schema generated from the contract: up to date, and agreeing with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from briefing.check.load import KINDS, load_corpus
from briefing.check.validate import validate
from briefing.check.yamltree import Node
from briefing.cli import main
from briefing.editing import schema
from tests.helpers import ROOT, instance, write_files

VALIDATORS = {
    folder: Draft7Validator(json.loads((ROOT / schema.schema_path(folder)).read_text()))
    for folder in KINDS
}


def schema_errors(folder: str, node: Node) -> list[str]:
    """Every schema error as 'json/path: message', sorted."""
    errors = VALIDATORS[folder].iter_errors(instance(node))
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in errors)


def check_both(tmp_path: Path, folder: str, text: str) -> tuple[list[str], list[str]]:
    """(validator messages, schema messages) for one sheet content/<folder>/x.yaml."""
    write_files(tmp_path, {f"content/{folder}/x.yaml": text})
    documents, problems = load_corpus(tmp_path, tmp_path / "content")
    assert problems == [] and len(documents) == 1
    _, invalid = validate(documents)
    return [str(p) for p in sorted(invalid)], schema_errors(folder, documents[0].root)


def test_schema_files_are_up_to_date() -> None:
    assert schema.stale_schemas(ROOT) == [], "run `python build.py schema` and commit schema/"


def test_every_sheet_starts_with_its_modeline() -> None:
    missing = schema.missing_modelines(ROOT)
    assert missing == [], "\n".join(missing)


def test_schemas_are_valid_draft_07_and_rendered_deterministically() -> None:
    for folder in KINDS:
        generated = schema.kind_schema(folder)
        Draft7Validator.check_schema(generated)
        text = schema.render(generated)
        assert text == schema.render(schema.kind_schema(folder))
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert list(json.loads(text)) == sorted(json.loads(text))
    Draft7Validator.check_schema(schema.settings_schema())
    assert sorted(schema.expected_files()) == [
        "schema/actor.schema.json",
        "schema/briefing.schema.json",
        "schema/corpus.schema.json",
        "schema/event.schema.json",
        "schema/facts.schema.json",
        "schema/relation.schema.json",
        "schema/source.schema.json",
        "schema/vocabulary.schema.json",
    ]


def test_schema_and_validator_both_accept_the_real_corpus() -> None:
    documents, problems = load_corpus(ROOT, ROOT / "content")
    assert problems == []
    _, invalid = validate(documents)
    assert invalid == []
    assert len(documents) >= 8
    for document in documents:
        assert schema_errors(document.kind, document.root) == [], document.path


ACTOR = "id: x\nname: X\ntype: state\nsummary: An actor.\n"
STATEMENT = (
    "statements:\n  - id: s\n    text: T.\n    kind: {kind}\n    source: src\n    quote: Q.\n"
)
P = "content/{}/x.yaml"
SLUG_BODY = "[a-z0-9]+(?:-[a-z0-9]+)*"
SLUG = f"^(?:{SLUG_BODY})$"
URL = VALIDATORS["sources"].schema["definitions"]["publication"]["properties"]["url"]["pattern"]
DATE = "^(?:[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?)$"

BOTH_REJECT = [
    (
        "missing field",
        "actors",
        "id: x\nname: X\nsummary: An actor.\n",
        [f"{P.format('actors')}:1:1: missing required field 'type' in actor; add 'type: ...'"],
        ["(root): 'type' is a required property"],
    ),
    (
        "unknown field",
        "actors",
        ACTOR + "nmae: Y\n",
        [f"{P.format('actors')}:5:1: unknown field 'nmae' in actor (did you mean 'name'?)"],
        ["(root): Additional properties are not allowed ('nmae' was unexpected)"],
    ),
    (
        "bad slug",
        "actors",
        ACTOR.replace("id: x", "id: North_Korea"),
        [
            f"{P.format('actors')}:1:5: 'id' must be a slug of lowercase letters, digits and "
            "single hyphens, like 'north-korea' (got 'North_Korea')"
        ],
        [f"id: 'North_Korea' does not match '{SLUG}'"],
    ),
    (
        "bad choice",
        "actors",
        ACTOR.replace("type: state", "type: country"),
        [
            f"{P.format('actors')}:3:7: 'type' must be one of state, person, organization, "
            "group (got 'country')"
        ],
        ["type: 'country' is not one of ['state', 'person', 'organization', 'group']"],
    ),
    (
        "bad statement kind",
        "actors",
        ACTOR + STATEMENT.format(kind="rumour"),
        [
            f"{P.format('actors')}:8:11: 'kind' must be one of reported, attributed, quote, "
            "assessment, forecast (got 'rumour')"
        ],
        [
            "statements/0/kind: 'rumour' is not one of "
            "['reported', 'attributed', 'quote', 'assessment', 'forecast']"
        ],
    ),
    (
        "list where text is expected",
        "actors",
        ACTOR.replace("name: X", "name: [X, Y]"),
        [f"{P.format('actors')}:2:7: 'name' must be text, not a list"],
        ["name: ['X', 'Y'] is not of type 'string'"],
    ),
    (
        "mapping where a list is expected",
        "actors",
        ACTOR + "aliases: {a: b}\n",
        [f"{P.format('actors')}:5:10: 'aliases' must be a list, not a mapping"],
        ["aliases: {'a': 'b'} is not of type 'array', 'null'"],
    ),
    (
        "empty required field",
        "actors",
        ACTOR.replace("summary: An actor.", "summary: ''"),
        [f"{P.format('actors')}:4:10: 'summary' is empty; fill it in"],
        ["summary: None is not of type 'string'"],
    ),
    (
        "empty list item",
        "actors",
        ACTOR + "tags: [a, '']\n",
        [f"{P.format('actors')}:5:11: empty item in 'tags'; remove it or fill it in"],
        ["tags/1: None is not of type 'string'"],
    ),
    (
        "markup in a title",
        "actors",
        ACTOR.replace("name: X", "name: <b>X</b>"),
        [f"{P.format('actors')}:2:7: 'name' must not contain '<', '>' or HTML entities"],
        [
            "name: '<b>X</b>' does not match "
            "'^(?=[\\\\s\\\\S]*\\\\S)(?!.*&[#A-Za-z])"
            "\\\\s*[^<>\\\\n]*\\\\s*$'"
        ],
    ),
    (
        "two lines in a one-line field",
        "actors",
        ACTOR.replace("name: X", "name: |\n  X\n  Y"),
        [f"{P.format('actors')}:2:7: 'name' must be one line; join the lines"],
        [
            "name: 'X\\nY\\n' does not match "
            "'^(?=[\\\\s\\\\S]*\\\\S)(?!.*&[#A-Za-z])"
            "\\\\s*[^<>\\\\n]*\\\\s*$'"
        ],
    ),
    (
        "attributed statement without attributed_to",
        "actors",
        ACTOR + STATEMENT.format(kind="attributed"),
        [
            f"{P.format('actors')}:6:5: statement 's' is kind 'attributed' but has no "
            "'attributed_to'; say who the source attributes it to"
        ],
        ["statements/0: 'attributed_to' is a required property"],
    ),
    (
        "bad date format",
        "events",
        "id: x\ntitle: X\nsummary: S.\ndate: 24 October 2024\n",
        [
            f"{P.format('events')}:4:7: 'date' must be an ISO 8601 date: YYYY, YYYY-MM or "
            "YYYY-MM-DD (got '24 October 2024')"
        ],
        [f"date: '24 October 2024' does not match '{DATE}'"],
    ),
    (
        "month out of range",
        "events",
        "id: x\ntitle: X\nsummary: S.\ndate: 2024-13\n",
        [
            f"{P.format('events')}:4:7: 'date' is not a real date (month must be in 1..12) "
            "(got '2024-13')"
        ],
        [f"date: '2024-13' does not match '{DATE}'"],
    ),
    (
        "relation with one actor",
        "relations",
        "id: x\ntitle: X\nsummary: S.\nactors: [china]\ntypes: [trade]\n",
        [f"{P.format('relations')}:1:1: a relation ties at least two different actors in 'actors'"],
        ["actors: ['china'] is too short"],
    ),
    (
        "empty required list",
        "relations",
        "id: x\ntitle: X\nsummary: S.\nactors: [china, russia]\ntypes: []\n",
        [f"{P.format('relations')}:1:1: 'types' must list at least one item"],
        ["types: [] should be non-empty"],
    ),
    (
        "judgment that names a sheet",
        "briefings",
        "id: x\ntitle: X\nsummary: S.\nbluf: B.\nkey_judgments: [china]\n",
        [f"{P.format('briefings')}:5:17: 'judgment' must name a statement: sheet-id#statement-id"],
        [f"key_judgments/0: 'china' does not match '^(?:{SLUG_BODY}#{SLUG_BODY})$'"],
    ),
    (
        "script address",
        "sources",
        "id: x\ntitle: X\nsummary: S.\ntext: x.txt\npublication:\n  url: javascript:alert(1)\n",
        [
            f"{P.format('sources')}:6:8: 'url' must start with https:, http: or mailto: "
            "(got 'javascript:alert(1)')"
        ],
        [f"publication/url: 'javascript:alert(1)' does not match {URL!r}"],
    ),
    (
        "text file outside the folder",
        "sources",
        "id: x\ntitle: X\nsummary: S.\ntext: ../x.txt\n",
        [
            f"{P.format('sources')}:1:1: 'text' must be the name of a .txt file beside the "
            "sheet, without folders (got '../x.txt')"
        ],
        ["text: '../x.txt' does not match '^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\\\\.txt)$'"],
    ),
]


@pytest.mark.parametrize(
    ("folder", "text", "messages", "errors"),
    [case[1:] for case in BOTH_REJECT],
    ids=[case[0] for case in BOTH_REJECT],
)
def test_schema_and_validator_both_reject(
    tmp_path: Path, folder: str, text: str, messages: list[str], errors: list[str]
) -> None:
    assert check_both(tmp_path, folder, text) == (messages, errors)


# Where they legitimately differ (see briefing/editing/schema.py's docstring): the validator knows
# the calendar, the file name and every item of a list; the schema does not strip values.
DIFFERENCES = [
    (
        "not a real date",
        "events",
        "id: x\ntitle: X\nsummary: S.\ndate: 2024-02-30\n",
        [
            f"{P.format('events')}:4:7: 'date' is not a real date (day is out of range for "
            "month) (got '2024-02-30')"
        ],
        [],
    ),
    (
        "id and file name differ",
        "actors",
        ACTOR.replace("id: x", "id: y"),
        [
            f"{P.format('actors')}:1:5: id 'y' does not match the file name 'x.yaml'; "
            "rename the file or change the id"
        ],
        [],
    ),
    (
        "duplicate statement ids",
        "actors",
        ACTOR + STATEMENT.format(kind="reported") + STATEMENT.format(kind="reported")[12:],
        [
            f"{P.format('actors')}:11:5: duplicate statement id 's' (first at line 6); "
            "statement ids are unique in a sheet"
        ],
        [],
    ),
    (
        "relation with one actor twice",
        "relations",
        "id: x\ntitle: X\nsummary: S.\nactors: [china, china]\ntypes: [trade]\n",
        [f"{P.format('relations')}:1:1: a relation ties at least two different actors in 'actors'"],
        [],
    ),
    (
        "address without a host",
        "sources",
        "id: x\ntitle: X\nsummary: S.\ntext: x.txt\npublication:\n  url: https://:80/\n",
        [
            f"{P.format('sources')}:6:8: 'url' needs a host, like https://example.org/page "
            "(got 'https://:80/')"
        ],
        [],
    ),
    (
        "spaces around an id",
        "actors",
        ACTOR.replace("type: state", "type: ' state'"),
        [],
        ["type: ' state' is not one of ['state', 'person', 'organization', 'group']"],
    ),
]


@pytest.mark.parametrize(
    ("folder", "text", "messages", "errors"),
    [case[1:] for case in DIFFERENCES],
    ids=[case[0] for case in DIFFERENCES],
)
def test_where_schema_and_validator_differ(
    tmp_path: Path, folder: str, text: str, messages: list[str], errors: list[str]
) -> None:
    assert check_both(tmp_path, folder, text) == (messages, errors)


def test_schema_command_writes_then_checks(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "project"
    write_files(root, {"schema/actor.schema.json": "{}\n", "schema/topic.schema.json": "{}\n"})
    assert main(["--root", str(root), "schema", "--check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "schema/source.schema.json is missing; run `python build.py schema`",
        "schema/actor.schema.json is out of date with briefing/model/contract.py "
        "or content/vocabulary.yaml; run `python build.py schema`",
        "schema/relation.schema.json is missing; run `python build.py schema`",
        "schema/event.schema.json is missing; run `python build.py schema`",
        "schema/briefing.schema.json is missing; run `python build.py schema`",
        "schema/corpus.schema.json is missing; run `python build.py schema`",
        "schema/vocabulary.schema.json is missing; run `python build.py schema`",
        "schema/facts.schema.json is missing; run `python build.py schema`",
        "schema/topic.schema.json is not generated from the contract any more; delete it",
    ]
    assert main(["--root", str(root), "schema"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"wrote schema/{kind}.schema.json"
        for kind in (
            "source",
            "actor",
            "relation",
            "event",
            "briefing",
            "corpus",
            "vocabulary",
            "facts",
        )
    ]
    (root / "schema/topic.schema.json").unlink()
    assert main(["--root", str(root), "schema", "--check"]) == 0
    assert capsys.readouterr().out == "ok: 8 schema files and every modeline up to date\n"
    assert main(["--root", str(root), "schema"]) == 0
    assert capsys.readouterr().out == ""  # nothing to rewrite


def test_modelines_are_checked_added_and_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root = tmp_path / "project"
    actor_line = "# yaml-language-server: $schema=../../schema/actor.schema.json"
    write_files(
        root,
        {
            "content/actors/a.yaml": f"{actor_line}\nid: a\n",
            "content/actors/b.yaml": "id: b\n",
            "content/actors/c.yaml": b"# yaml-language-server: $schema=old.json\r\nid: c\r\n",
            "content/events/d.yaml": f"{actor_line}\nid: d\n",
            "content/events/e.yaml": b"\xef\xbb\xbfid: e\n",
            "content/notes.yaml": "not a sheet\n",
        },
    )
    schema.write_schemas(root)
    assert main(["--root", str(root), "schema", "--check"]) == 1
    how = "run `python build.py schema --modelines` to add it"
    assert capsys.readouterr().err.splitlines() == [
        f"content/actors/b.yaml:1:1: the first line must be '{actor_line}'; {how}",
        f"content/actors/c.yaml:1:1: the first line must be '{actor_line}'; {how}",
        "content/events/d.yaml:1:1: the first line must be "
        f"'# yaml-language-server: $schema=../../schema/event.schema.json'; {how}",
        "content/events/e.yaml:1:1: the first line must be "
        f"'# yaml-language-server: $schema=../../schema/event.schema.json'; {how}",
    ]
    assert main(["--root", str(root), "schema", "--modelines"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "added the modeline to content/actors/b.yaml",
        "added the modeline to content/actors/c.yaml",
        "added the modeline to content/events/d.yaml",
    ]
    assert (root / "content/actors/b.yaml").read_text() == f"{actor_line}\nid: b\n"
    assert (root / "content/actors/c.yaml").read_bytes() == f"{actor_line}\r\nid: c\r\n".encode()
    assert (root / "content/events/d.yaml").read_text() == (
        "# yaml-language-server: $schema=../../schema/event.schema.json\nid: d\n"
    )
    assert (root / "content/events/e.yaml").read_bytes() == b"\xef\xbb\xbfid: e\n"
    (root / "content/events/e.yaml").unlink()
    assert main(["--root", str(root), "schema", "--check"]) == 0
