"""The real corpus: it passes check, its quotes are verified, it is faithful and documented."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator

import pytest

from briefing.check import verify
from briefing.check.checker import check
from briefing.check.coverage import coverage
from briefing.check.verify import normalise
from briefing.model import records
from briefing.model.contract import (
    ACTOR_TYPES,
    KIND_FIELDS,
    RELATION_TYPES,
    STATEMENT_KINDS,
    Field,
)
from briefing.model.errors import ContentError
from briefing.project import Project
from tests.helpers import ROOT

SEED = "nk-troops-russia-beijing"
CHECKED = check(Project(ROOT))
CORPUS = CHECKED.corpus
QUOTES = [
    (f"{sheet.id}#{st.id}", st.quote) for sheet in CORPUS.sheets for st in sheet.statements
] + [
    (f"{sheet.id}:excluded-{n}", exclusion.quote)
    for sheet in CORPUS.of_kind("source")
    if isinstance(sheet, records.Source)
    for n, exclusion in enumerate(sheet.excluded, start=1)
]


def test_the_real_corpus_passes_check() -> None:
    kinds = {kind: len(CORPUS.of_kind(kind)) for kind in ("source", "briefing", "event")}
    assert kinds == {"source": 1, "briefing": 3, "event": 4}
    assert len(CORPUS.of_kind("actor")) >= 18
    assert len(CORPUS.of_kind("relation")) >= 10


def test_the_seed_text_is_archived_unaltered() -> None:
    data = (ROOT / "content" / "sources" / f"{SEED}.txt").read_bytes()
    digest = "d5ce9f8c3a20e8ba93047f3a0ba31afd94c5ffaccc19575a37e4efd2a747d48a"
    assert hashlib.sha256(data).hexdigest() == digest


def mutated(text: str, quote: records.Text) -> str:
    """text with one letter of quote changed, at the quote's place in the sheet."""
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: quote.loc.line - 1]) + quote.loc.col - 1
    head = quote.value[:12]
    start = text.index(head, offset)
    index = start + next(i for i, c in enumerate(head) if c.isalpha())
    letter = text[index]
    swap = "x" if letter.lower() != "x" else "y"
    return text[:index] + (swap.upper() if letter.isupper() else swap) + text[index + 1 :]


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "content", root / "content")
    return Project(root)


def check_with_one_letter_changed(project: Project, quote: records.Text) -> ContentError:
    """Check project with one letter of quote changed in its sheet; the error it raises."""
    sheet = project.root / quote.loc.path
    original = sheet.read_text(encoding="utf-8")
    sheet.write_text(mutated(original, quote), encoding="utf-8")
    try:
        with pytest.raises(ContentError) as error:
            check(project)
    finally:
        sheet.write_text(original, encoding="utf-8")
    return error.value


@pytest.mark.parametrize(("where", "quote"), QUOTES, ids=[q[0] for q in QUOTES])
def test_changing_one_letter_of_any_quote_fails_at_that_quote(
    content_copy: Project, monkeypatch: pytest.MonkeyPatch, where: str, quote: records.Text
) -> None:
    # The "closest passage" hint costs up to a second per quote; its text is tested below.
    monkeypatch.setattr(verify, "closest_passage", lambda quote, text: "")
    problems = check_with_one_letter_changed(content_copy, quote).problems
    message = f"quote not found in source '{SEED}' (content/sources/{SEED}.txt)"
    assert [(p.loc, p.message) for p in problems] == [(quote.loc, message)]


@pytest.mark.parametrize(
    "where",
    ["russia#expansionist-war", "north-korea-russia-troops#austin-serious-issue", "excluded-3"],
)
def test_the_failure_shows_the_passage_meant(content_copy: Project, where: str) -> None:
    quote = dict(QUOTES)[where if "#" in where else f"{SEED}:{where}"]
    (problem,) = check_with_one_letter_changed(content_copy, quote).problems
    assert str(problem) == (
        f"{quote.loc}: quote not found in source '{SEED}' (content/sources/{SEED}.txt); "
        f'closest passage: "{normalise(quote.value)}"'
    )


ISSUE_ACTORS = [
    ("russia", "state", ["Moscow"]),
    ("china", "state", ["Beijing"]),
    ("iran", "state", []),
    ("north-korea", "state", []),
    ("united-states", "state", ["Washington", "the U.S.", "America"]),
    ("ukraine", "state", []),
    ("south-korea", "state", ["Seoul"]),
    ("europe", "group", ["European leaders"]),
    ("the-west", "group", ["Western"]),
    ("vladimir-putin", "person", ["Putin"]),
    ("xi-jinping", "person", ["Xi"]),
    ("lloyd-austin", "person", []),
    ("south-korean-president", "person", []),
    ("biden-administration", "organization", []),
    ("sanctioned-chinese-companies", "group", ["Chinese companies"]),
    ("russian-firms", "group", []),  # the name is what the article says
    ("russian-business", "group", []),
    ("us-allies", "group", []),
    ("global-south", "group", []),
]


@pytest.mark.parametrize(("actor_id", "type_", "aliases"), ISSUE_ACTORS)
def test_every_actor_the_issue_lists_exists(actor_id: str, type_: str, aliases: list[str]) -> None:
    actor = CORPUS.by_id[actor_id]
    assert isinstance(actor, records.Actor)
    assert actor.type == type_
    assert set(aliases) <= set(actor.aliases)


def test_south_koreas_president_is_not_given_a_name() -> None:
    actor = CORPUS.by_id["south-korean-president"]
    assert isinstance(actor, records.Actor)
    assert (actor.title, actor.aliases) == ("South Korea's president", ())


def test_the_seed_is_fully_covered_with_few_exclusions() -> None:
    (result,) = coverage(CHECKED)
    assert result.source_id == SEED
    assert (result.percent, result.uncovered) == (100.0, ())
    assert result.excluded_count == 3
    assert all(e.exclusion.reason and len(e.sentences) == 1 for e in result.excluded)


def statements() -> Iterator[tuple[str, records.Statement]]:
    for sheet in CORPUS.sheets:
        for statement in sheet.statements:
            yield f"{sheet.id}#{statement.id}", statement


@pytest.mark.parametrize(
    ("value", "unit", "ref"),
    [
        ("240", "billion dollars ($)", "china-russia-trade#record-trade"),
        ("90", "percent", "china-north-korea#trade-share"),
        ("nearly all", None, "china-iran#oil"),
    ],
)
def test_the_articles_figures_are_recorded(value: str, unit: str | None, ref: str) -> None:
    figures = CORPUS.statement(ref).figures
    assert [(f.value, f.unit) for f in figures] == [(value, unit)]
    assert value.split()[0] in CORPUS.statement(ref).quote.value


HEDGES = re.compile(
    r"\b(could|may|might|would|apparently|ostensibly|undoubtedly|believe|necessarily|seem)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("where", "statement"), list(statements()), ids=lambda v: str(v)[:60])
def test_a_statement_keeps_the_hedges_of_its_quote(
    where: str, statement: records.Statement
) -> None:
    hedges = {h.lower() for h in HEDGES.findall(statement.quote.value)}
    kept = {h.lower() for h in HEDGES.findall(statement.text.value)}
    assert hedges <= kept, f"{where} drops {sorted(hedges - kept)}"


@pytest.mark.parametrize(
    ("ref", "kind", "attributed_to", "in_text"),
    [
        ("china-russia-components#vital-components", "attributed", "U.S. officials", ""),
        ("china#supplies-components", "attributed", "U.S. officials", ""),
        (
            "north-korea-russia-troops#preparing-to-join",
            "attributed",
            "Ukrainian officials",
            "believe",
        ),
        (
            "north-korea-russia-troops#austin-serious-issue",
            "quote",
            "[[lloyd-austin]], U.S. Defense Secretary",
            "very, very serious issue",
        ),
        ("north-korea-russia-troops#gathering-ostensibly", "reported", None, "ostensibly"),
        ("authoritarian-coalition#rickety", "assessment", None, "rickety"),
        ("xi-jinping#world-in-flames", "assessment", None, "world in flames"),
        ("china#middle-east-war", "forecast", None, "could"),
    ],
)
def test_kinds_and_attributions_follow_the_article(
    ref: str, kind: str, attributed_to: str | None, in_text: str
) -> None:
    statement = CORPUS.statement(ref)
    assert statement.kind == kind
    assert (statement.attributed_to.value if statement.attributed_to else None) == attributed_to
    assert in_text in statement.text.value


@pytest.mark.parametrize("event", CORPUS.of_kind("event"), ids=lambda e: e.id)
def test_an_events_year_is_printed_or_its_inference_noted(event: records.Sheet) -> None:
    assert isinstance(event, records.Event)
    year = event.date.value[:4]
    printed = any(year in st.quote.value for st in event.statements)
    assert printed or event.date_note is not None


@pytest.mark.parametrize("briefing_id", ["overview", "china-calculus", "risks-and-escalation"])
def test_the_briefings_exist_and_judge_by_reference(briefing_id: str) -> None:
    briefing = CORPUS.by_id[briefing_id]
    assert isinstance(briefing, records.Briefing)
    assert briefing.key_judgments and all(r.statement_id for r in briefing.key_judgments)
    assert briefing.sections and all(section.refs for section in briefing.sections)


# --- docs/content-guide.md documents every field of every kind, as the contract has it ---

GUIDE = (ROOT / "docs" / "content-guide.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `([a-z_]+)` \| ([a-z ]+) \| (yes|no) \|", re.MULTILINE)


def contract_tables() -> dict[str, tuple[Field, ...]]:
    """Every table the guide must have: one per kind and one per nested object."""
    tables = dict(KIND_FIELDS)
    pending = [f for fields in KIND_FIELDS.values() for f in fields]
    while pending:
        field = pending.pop()
        item = field.item or field
        if item.shape == "object" and item.name not in tables:
            tables[item.name] = item.fields
            pending.extend(item.fields)
    return tables


def guide_table(name: str) -> list[tuple[str, str, str]]:
    """The rows (field, shape, required) of the guide's table headed `name`."""
    match = re.search(rf"^### `{name}`\n(.*?)(?=^#|\Z)", GUIDE, re.MULTILINE | re.DOTALL)
    assert match, f"docs/content-guide.md has no section '### `{name}`'"
    return ROW.findall(match.group(1))


def shape(field: Field) -> str:
    return f"list of {field.item.name}" if field.item else field.shape


@pytest.mark.parametrize(("name", "fields"), contract_tables().items())
def test_the_guide_documents_every_field(name: str, fields: tuple[Field, ...]) -> None:
    expected = [(f.name, shape(f), "yes" if f.required else "no") for f in fields]
    assert guide_table(name) == expected


@pytest.mark.parametrize("value", [*STATEMENT_KINDS, *ACTOR_TYPES, *RELATION_TYPES])
def test_the_guide_lists_every_choice(value: str) -> None:
    assert f"`{value}`" in GUIDE


def test_the_guide_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - For editors:\n      - Content guide: content-guide.md\n" in config


def test_the_guide_examples_exist() -> None:
    for ref in re.findall(r"`([a-z0-9-]+#[a-z0-9-]+)`", GUIDE):
        if ref != "sheet-id#statement-id":
            CORPUS.statement(ref)  # raises if the example is gone
