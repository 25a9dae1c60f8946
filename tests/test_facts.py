"""briefing.data.facts and .schema: facts.json holds every record, and its schema says so."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from briefing.check.checker import check
from briefing.data.facts import NOT_EXPORTED, facts, facts_json
from briefing.data.publish import data_files
from briefing.data.schema import facts_schema
from briefing.editing.schema import FACTS_SCHEMA, render
from briefing.model import records
from briefing.model.contract import KIND_FIELDS, STATEMENT
from briefing.project import Project
from tests.helpers import ROOT, make_corpus

FIXTURE = ROOT / "tests" / "fixtures" / "two-sources"


def validator() -> jsonschema.Draft7Validator:
    schema = facts_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def errors(data: Any) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator().iter_errors(data)]


def test_the_fixtures_facts_are_valid_against_the_schema() -> None:
    data = json.loads(facts_json(check(Project(FIXTURE))))
    assert errors(data) == []


def test_every_sheet_and_statement_is_exported() -> None:
    checked = check(Project(FIXTURE))
    data = facts(checked)
    exported = {
        (sheet["kind"], sheet["id"]): [st["anchor"] for st in sheet["statements"]]
        for folder in ("sources", "actors", "relations", "events", "briefings")
        for sheet in data[folder]
    }
    assert exported == {
        (sheet.kind, sheet.id): [f"{sheet.id}#{st.id}" for st in sheet.statements]
        for sheet in checked.corpus.sheets
    }


@pytest.mark.parametrize(
    "broken",
    [
        lambda d: d["actors"][0].pop("summary"),
        lambda d: d["actors"][0].update(colour="red"),
        lambda d: d["sources"][0].update(publication="unknown"),
        lambda d: d["events"][0].update(date="October 2024"),
        lambda d: d["events"][0].update(dating="soon"),
        lambda d: d["relations"][0]["statements"][0].update(kind="rumour"),
        lambda d: d["relations"][0]["statements"][0].pop("quote"),
    ],
)
def test_the_schema_refuses_what_the_export_never_writes(broken: Any) -> None:
    data = json.loads(facts_json(check(Project(FIXTURE))))
    assert errors(data) == []
    broken(data)
    assert errors(data) != []


EVENTS = {
    "content/events/ranged.yaml": """\
        id: ranged
        title: A ranged event
        summary: Held over days.
        date: "2024-10-01"
        until: "2024-10-03"
        """,
    "content/events/several.yaml": """\
        id: several
        title: Several dates
        summary: Held twice.
        dates: ["2023", "2024-05"]
        """,
    "content/events/following.yaml": """\
        id: following
        title: The day after
        summary: Follows the ranged event.
        after: ranged
        date_note: The source says "the day after" and gives no date.
        """,
    "content/events/undated.yaml": """\
        id: undated
        title: Undated
        summary: The source gives no date.
        """,
}


def test_dates_are_exported_as_the_sheets_give_them(tmp_path: Path) -> None:
    data = facts(check(make_corpus(tmp_path, EVENTS)))
    assert errors(json.loads(json.dumps(data))) == []
    events = {e["id"]: e for e in data["events"]}
    shown = {
        i: (e["dating"], e["date"], e["until"], e["dates"], e["after"], e["before"])
        for i, e in events.items()
    }
    assert shown == {
        "following": ("after", None, None, [], "ranged", None),
        "ranged": ("range", "2024-10-01", "2024-10-03", [], None, None),
        "several": ("dates", None, None, ["2023", "2024-05"], None, None),
        "undated": ("undated", None, None, [], None, None),
    }
    assert events["following"]["date_note"].startswith("The source says")


def test_texts_keep_their_references_and_sources_name_their_archive(tmp_path: Path) -> None:
    data = facts(check(make_corpus(tmp_path)))
    russia = next(a for a in data["actors"] if a["id"] == "russia")
    assert russia["summary"] == "Trades with [[china]]."
    (source,) = data["sources"]
    assert (source["archive"], source["text"], source["publication"]) == (
        "sources/article.txt",
        "article.txt",
        None,
    )


def test_every_record_attribute_is_exported_or_left_out_on_purpose() -> None:
    """A field added to a record but not to the contract would be missing from facts.json."""
    tables = {records.SHEET_TYPES[f]: fields for f, fields in KIND_FIELDS.items()}
    tables[records.Statement] = STATEMENT.fields
    for record, fields in tables.items():
        attributes = {f.name for f in dataclasses.fields(record)}
        assert attributes - {f.key for f in fields} <= NOT_EXPORTED, record.__name__


def test_the_bytes_depend_only_on_the_content(tmp_path: Path) -> None:
    first = data_files(check(Project(FIXTURE)))
    copy = make_corpus(tmp_path, {}, base=False)
    for path in sorted((FIXTURE / "content").rglob("*")):
        if path.is_file():
            target = copy.content / path.relative_to(FIXTURE / "content")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    assert data_files(check(copy, 2)) == first


def test_the_published_schema_is_the_one_kept_in_schema_folder() -> None:
    published = data_files(check(Project(FIXTURE)))["data/facts.schema.json"]
    assert published == render(facts_schema())
    assert (ROOT / FACTS_SCHEMA).read_text(encoding="utf-8") == published


def test_markup_in_a_value_is_escaped_and_parses_back(tmp_path: Path) -> None:
    russia = 'id: russia\nname: Russia\ntype: state\nsummary: "<b>Trades</b> & sells </script>"\n'
    checked = check(make_corpus(tmp_path, {"content/actors/russia.yaml": russia}))
    for path, text in data_files(checked).items():
        if path != "data/facts.schema.json":
            assert "<" not in text and "&" not in text, path
    data = json.loads(facts_json(checked))
    summaries = {a["id"]: a["summary"] for a in data["actors"]}
    assert summaries["russia"] == "<b>Trades</b> & sells </script>"
