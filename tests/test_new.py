"""`build.py new KIND ID`: a scaffold that check refuses, at each TODO, until it is filled in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from briefing.check.checker import check
from briefing.check.load import load_file
from briefing.cli import main
from briefing.editing import schema
from briefing.editing.scaffold import new_sheet
from briefing.model.errors import ContentError
from tests.helpers import ROOT, instance, make_corpus

PLACEHOLDER_MESSAGE = (
    "is still the placeholder that `briefing new` wrote; replace it with the real value"
)
# What check says of each kind's scaffold: every required value, at its line and column.
REFUSED_AT = {
    "source": [
        "5:8: 'title'",
        "6:10: 'summary'",
    ],
    "actor": ["5:7: 'name'", "6:10: 'summary'", "7:7: 'type'"],
    "relation": [
        "5:8: 'title'",
        "6:10: 'summary'",
        "7:10: 'actor'",
        "7:16: 'actor'",
        "8:9: 'type'",
    ],
    "event": ["5:8: 'title'", "6:10: 'summary'", "8:7: 'date'"],
    "briefing": ["5:8: 'title'", "6:10: 'summary'", "7:7: 'bluf'", "8:17: 'judgment'"],
}
# Values that replace the TODOs of each kind's scaffold: then it passes check.
FILLED = {
    "title": "A title",
    "name": "A name",
    "summary": "A summary.",
    "bluf": "A bottom line.",
    "type": "state",
    "date": '"2025"',
}


@pytest.mark.parametrize("kind", list(REFUSED_AT))
def test_check_refuses_a_scaffold_until_it_is_filled_in(tmp_path: Path, kind: str) -> None:
    project = make_corpus(tmp_path)
    made = new_sheet(project.root, kind, "new-sheet")
    path = project.root / made.created[0]
    with pytest.raises(ContentError) as error:
        check(project)
    expected = [f"{made.created[0]}:{where} {PLACEHOLDER_MESSAGE}" for where in REFUSED_AT[kind]]
    assert sorted(str(p) for p in error.value.problems) == sorted(expected)
    lines = []
    for line in path.read_text().splitlines():
        key = line.partition(":")[0]
        if "TODO" in line and not line.startswith("#"):
            if kind == "relation" and key == "types":
                line = "types: [trade]"
            elif key == "actors":
                line = "actors: [china, russia]"
            elif key == "key_judgments":
                line = "key_judgments: [china#trade]"
            else:
                line = f"{key}: {FILLED[key]}"
        lines.append(line)
    path.write_text("\n".join(lines) + "\n")
    if kind == "source":  # its fields filled in, the sheet's archived text is read
        with pytest.raises(ContentError) as error:
            check(project)
        assert [str(p) for p in error.value.problems] == [
            "content/sources/new-sheet.txt:1:1: the archived text is still the placeholder "
            "that `briefing new` wrote; paste the source's full text, as published"
        ]
        (project.content / "sources/new-sheet.txt").write_text("The full text.\n")
    assert "new-sheet" in check(project).corpus.by_id
    document, problems = load_file(path, made.created[0], f"{kind}s")
    assert problems == [] and document is not None
    folder = f"{kind}s"
    validator = Draft7Validator(json.loads((ROOT / schema.schema_path(folder)).read_text()))
    assert list(validator.iter_errors(instance(document.root))) == []
    assert path.read_text().splitlines()[0] == schema.modeline(folder)


def test_actor_scaffold_text(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    new_sheet(project.root, "actors", "iran")
    text = (project.root / "content/actors/iran.yaml").read_text()
    assert text.splitlines()[:14] == [
        "# yaml-language-server: $schema=../../schema/actor.schema.json",
        "# A new actor: replace every TODO, uncomment the fields you need,",
        "# then run `python build.py check` (it refuses any TODO left).",
        "id: iran",
        'name: "TODO: Display name or title, as printed"',
        'summary: "TODO: One or two sentences a reader sees first"',
        "type: TODO  # What kind of actor. One of: state, person, organization, group.",
        "# aliases: []  # Other names the sources use.",
        "# editorial_aliases: []  # Common names the sources do not use, added by editors so"
        " search finds the actor.",
        "# role:  # The actor's role in the material.",
        "# interests: []  # What the actor wants.",
        "# tags: []  # Tags for the tags index.",
        "# review_by:  # When editors should review the sheet again; check says so.",
        "# statements:  # Sourced claims about this subject. Each one:",
    ]
    assert "#     likelihood:  # ICD 203 likelihood, only where the quote itself gives one" in text
    assert (
        "#       - value:  # The number as printed in digits, or a range, e.g. '240', '2.5', '10-12'."
        in text
    )


def test_placeholders_for_dates_and_references(tmp_path: Path) -> None:
    # No example value from the corpus: so a new sheet needs no other sheet to exist.
    project = make_corpus(tmp_path, base=False)
    for kind, sheet_id in (("event", "talks"), ("relation", "ties"), ("briefing", "brief")):
        new_sheet(project.root, kind, sheet_id)
    content = project.root / "content"
    assert "date: TODO  # ISO 8601" in (content / "events/talks.yaml").read_text()
    assert "actors: [TODO, TODO]  # " in (content / "relations/ties.yaml").read_text()
    assert "key_judgments: [TODO]  # " in (content / "briefings/brief.yaml").read_text()


def test_new_source_cli_prints_what_to_fill_in(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    project = make_corpus(tmp_path)
    assert main(["--root", str(project.root), "new", "source", "tass-report"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "created content/sources/tass-report.yaml",
        "created content/sources/tass-report.txt",
        "paste the source's full text, as published, into content/sources/tass-report.txt",
        "fill in: title, summary, text (replace each TODO)",
        "optional, commented out: short_title, publication, archive_note, excluded, tags, review_by, "
        "statements",
        "then run: python build.py check",
    ]
    assert (project.root / "content/sources/tass-report.txt").read_text().startswith("TODO: ")


def test_new_source_keeps_an_archived_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    project = make_corpus(tmp_path, {"content/sources/report.txt": "The archived text.\n"})
    assert main(["--root", str(project.root), "new", "sources", "report"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "created content/sources/report.yaml",
        "fill in: title, summary, text (replace each TODO)",
    ]
    assert (project.root / "content/sources/report.txt").read_text() == "The archived text.\n"


REFUSED = [
    (
        "id used by another kind",
        ["event", "china"],
        True,
        "id 'china' is already used by content/actors/china.yaml; ids are unique across all kinds",
    ),
    (
        "invalid slug",
        ["actor", "North_Korea"],
        True,
        "'North_Korea' is not a valid id: use lowercase letters, digits and single hyphens, "
        "like 'north-korea'",
    ),
    (
        "unknown kind",
        ["actr", "iran"],
        True,
        "unknown kind 'actr'; use one of: source, actor, relation, event, briefing "
        "(did you mean 'actor'?)",
    ),
]


@pytest.mark.parametrize(
    ("args", "base", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_new_refuses_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], base: bool, message: str
) -> None:
    project = make_corpus(tmp_path, base=base)
    before = sorted(p for p in project.content.rglob("*"))
    assert main(["--root", str(project.root), "new", *args]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", message + "\n")
    assert sorted(p for p in project.content.rglob("*")) == before  # nothing written
