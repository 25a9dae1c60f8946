"""`build.py new KIND ID`: a scaffold that passes check and the schema as written."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from briefing.check.checker import check
from briefing.check.load import load_file
from briefing.cli import main
from briefing.editing import schema
from briefing.editing.scaffold import new_sheet
from tests.helpers import ROOT, instance, make_corpus

TODAY = datetime.date(2025, 3, 4)


@pytest.mark.parametrize("kind", ["source", "actor", "relation", "event", "briefing"])
def test_scaffold_passes_check_and_schema(tmp_path: Path, kind: str) -> None:
    project = make_corpus(tmp_path)
    made = new_sheet(project.root, kind, "new-sheet", TODAY)
    checked = check(project)  # raises ContentError on any problem
    assert "new-sheet" in checked.corpus.by_id
    path = project.root / made.created[0]
    document, problems = load_file(path, made.created[0], f"{kind}s")
    assert problems == [] and document is not None
    folder = f"{kind}s"
    validator = Draft7Validator(json.loads((ROOT / schema.schema_path(folder)).read_text()))
    assert list(validator.iter_errors(instance(document.root))) == []
    assert path.read_text().splitlines()[0] == schema.modeline(folder)


def test_actor_scaffold_text(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    new_sheet(project.root, "actors", "iran", TODAY)
    text = (project.root / "content/actors/iran.yaml").read_text()
    assert text.splitlines()[:12] == [
        "# yaml-language-server: $schema=../../schema/actor.schema.json",
        "# A new actor: replace every TODO, uncomment the fields you need,",
        "# then run `python build.py check`.",
        "id: iran",
        'name: "TODO: Display name or title, as printed"',
        'summary: "TODO: One or two sentences a reader sees first"',
        "type: state  # TODO: What kind of actor. One of: state, person, organization, group.",
        "# aliases: []  # Other names the sources use.",
        "# role:  # The actor's role in the material.",
        "# interests: []  # What the actor wants.",
        "# tags: []  # Tags for the tags index.",
        "# statements:  # Sourced claims about this subject. Each one:",
    ]
    assert "#       - value:  # The number as printed, e.g. '240' or 'nearly all'." in text


def test_placeholders_for_dates_and_references(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    new_sheet(project.root, "event", "talks", TODAY)
    new_sheet(project.root, "relation", "ties", TODAY)
    new_sheet(project.root, "briefing", "brief", TODAY)
    content = project.root / "content"
    assert 'date: "2025"  # TODO: ' in (content / "events/talks.yaml").read_text()
    assert (
        "actors: [china, russia]  # TODO: placeholders."
        in (content / "relations/ties.yaml").read_text()
    )
    assert (
        "key_judgments: [china#trade]  # TODO: placeholders."
        in (content / "briefings/brief.yaml").read_text()
    )


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
        "optional, commented out: publication, excluded, tags, statements",
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
    (
        "relation without two actors",
        ["relation", "ties"],
        False,
        "a new relation must name 2 existing actors in 'actors', and content/ has 0; "
        "add them first",
    ),
    (
        "briefing without statements",
        ["briefing", "brief"],
        False,
        "a new briefing must name 1 existing statement in 'key_judgments', and content/ has 0; "
        "add one first",
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
