"""The real corpus: it passes check, its quotes are verified, it is faithful and documented."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest

from briefing.check import verify
from briefing.check.checker import check
from briefing.check.coverage import SourceCoverage, coverage
from briefing.check.link import iter_refs
from briefing.check.load import KINDS
from briefing.check.verify import normalise
from briefing.model import records
from briefing.model.contract import (
    ACTOR_TYPES,
    ATTRIBUTED_KINDS,
    CONFIDENCES,
    KIND_FIELDS,
    LIKELIHOODS,
    RELATION_TYPES,
    SETTINGS_FIELDS,
    STATEMENT_KINDS,
    Field,
)
from briefing.model.errors import ContentError
from briefing.project import Project
from briefing.web.render import render_site_pages
from tests.helpers import ROOT

CHECKED = check(Project(ROOT))
CORPUS = CHECKED.corpus
SOURCES = [s for s in CORPUS.of_kind("source") if isinstance(s, records.Source)]
# Every verbatim passage of the corpus, with the source it must be found in.
QUOTES = [
    (f"{sheet.id}#{st.id}", st.quote, st.source.target)
    for sheet in CORPUS.sheets
    for st in sheet.statements
] + [
    (f"{source.id}:excluded-{n}", exclusion.quote, source.id)
    for source in SOURCES
    for n, exclusion in enumerate(source.excluded, start=1)
]


def test_the_real_corpus_has_sources_and_briefings() -> None:
    # Whatever content/ holds, a site needs something to show and something to cite.
    assert SOURCES
    assert CORPUS.of_kind("briefing")


def test_every_archived_text_belongs_to_one_source() -> None:
    texts = sorted(p.name for p in (ROOT / "content" / "sources").glob("*.txt"))
    assert sorted(source.text for source in SOURCES) == texts


def source_message(source_id: str) -> str:
    source = CORPUS.by_id[source_id]
    assert isinstance(source, records.Source)
    return f"quote not found in source '{source_id}' (content/sources/{source.text})"


@pytest.mark.parametrize(("where", "quote", "source_id"), QUOTES, ids=[q[0] for q in QUOTES])
def test_every_quote_is_in_its_own_source(where: str, quote: records.Text, source_id: str) -> None:
    assert normalise(quote.value) in CHECKED.texts[source_id].normalised, where


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


@pytest.mark.parametrize(("where", "quote", "source_id"), QUOTES, ids=[q[0] for q in QUOTES])
def test_changing_one_letter_of_any_quote_fails_at_that_quote(
    content_copy: Project,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    quote: records.Text,
    source_id: str,
) -> None:
    # The "closest passage" hint costs up to a second per quote; its text is tested below.
    monkeypatch.setattr(verify, "closest_passage", lambda quote, text: "")
    problems = check_with_one_letter_changed(content_copy, quote).problems
    assert [(p.loc, p.message) for p in problems] == [(quote.loc, source_message(source_id))]


# One statement's quote and one exclusion's (if any): the hint is slow, its rule is general.
SAMPLES = [QUOTES[0], *[q for q in QUOTES if ":excluded-" in q[0]][:1]]


@pytest.mark.parametrize(("where", "quote", "source_id"), SAMPLES, ids=[q[0] for q in SAMPLES])
def test_the_failure_shows_the_passage_meant(
    content_copy: Project, where: str, quote: records.Text, source_id: str
) -> None:
    (problem,) = check_with_one_letter_changed(content_copy, quote).problems
    assert str(problem) == (
        f'{quote.loc}: {source_message(source_id)}; closest passage: "{normalise(quote.value)}"'
    )


@pytest.mark.parametrize("actor", CORPUS.of_kind("actor"), ids=lambda a: a.id)
def test_an_actors_aliases_are_words_a_source_uses(actor: records.Sheet) -> None:
    # Aliases are there so that search finds the names the sources use: never invented.
    assert isinstance(actor, records.Actor)
    texts = " ".join(text.normalised for text in CHECKED.texts.values())
    assert [a for a in actor.aliases if normalise(a) not in texts] == []


@pytest.mark.parametrize("result", coverage(CHECKED), ids=lambda r: r.source_id)
def test_every_source_is_covered_or_honestly_excluded(result: SourceCoverage) -> None:
    assert (result.percent, result.uncovered) == (100.0, ())
    assert all(e.exclusion.reason.strip() and len(e.sentences) == 1 for e in result.excluded)


def test_coverage_reports_every_source() -> None:
    assert sorted(r.source_id for r in coverage(CHECKED)) == sorted(s.id for s in SOURCES)


def statements() -> Iterator[tuple[str, records.Statement]]:
    for sheet in CORPUS.sheets:
        for statement in sheet.statements:
            yield f"{sheet.id}#{statement.id}", statement


FIGURES = [(where, st, figure) for where, st in statements() for figure in st.figures]


@pytest.mark.parametrize(("where", "statement", "figure"), FIGURES, ids=[f[0] for f in FIGURES])
def test_a_figure_is_printed_in_its_quote(
    where: str, statement: records.Statement, figure: records.Figure
) -> None:
    assert normalise(figure.value.split()[0]) in normalise(statement.quote.value), where


@pytest.mark.parametrize(("where", "statement"), list(statements()), ids=lambda v: str(v)[:60])
def test_a_statement_names_who_says_it_where_its_kind_needs_it(
    where: str, statement: records.Statement
) -> None:
    needs = statement.kind in ATTRIBUTED_KINDS
    assert needs <= (statement.attributed_to is not None), where


@pytest.mark.parametrize("event", CORPUS.of_kind("event"), ids=lambda e: e.id)
def test_an_events_year_is_printed_or_its_inference_noted(event: records.Sheet) -> None:
    assert isinstance(event, records.Event)
    if event.first is None:
        return  # undated: nothing to print or infer
    year = event.first.value[:4]
    printed = any(year in st.quote.value for st in event.statements)
    assert printed or event.date_note is not None


@pytest.mark.parametrize("briefing", CORPUS.of_kind("briefing"), ids=lambda b: b.id)
def test_every_briefing_judges_by_reference(briefing: records.Sheet) -> None:
    assert isinstance(briefing, records.Briefing)
    assert briefing.key_judgments and all(r.statement_id for r in briefing.key_judgments)
    assert all(section.refs for section in briefing.sections)


REFS = [(sheet, ref) for sheet in CORPUS.sheets for ref, _ in iter_refs(sheet)]


@pytest.mark.parametrize(("sheet", "ref"), REFS, ids=[f"{s.id}->{r.target}" for s, r in REFS])
def test_every_reference_resolves(sheet: records.Sheet, ref: records.Ref) -> None:
    target = CORPUS.by_id[ref.sheet_id]
    if ref.statement_id:
        assert CORPUS.statement(ref.target) in target.statements


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return render_site_pages(Project(ROOT), checked=CHECKED)


def test_every_sheet_renders_to_its_page(pages: dict[str, str]) -> None:
    folders = {kind: folder for folder, kind in ((f, records.SHEET_TYPES[f].kind) for f in KINDS)}
    expected = {f"{folders[sheet.kind]}/{sheet.id}.md" for sheet in CORPUS.sheets}
    assert expected <= set(pages)
    assert "index.md" in pages


# --- docs/content-guide.md documents every field of every kind, as the contract has it ---

GUIDE = (ROOT / "docs" / "content-guide.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| `([a-z_]+)` \| ([a-z ]+) \| (yes|no) \|", re.MULTILINE)


def contract_tables() -> dict[str, tuple[Field, ...]]:
    """Every table the guide must have: one per kind and one per nested object."""
    tables = {**KIND_FIELDS, "corpus": SETTINGS_FIELDS}
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


@pytest.mark.parametrize(
    "value", [*STATEMENT_KINDS, *ACTOR_TYPES, *RELATION_TYPES, *LIKELIHOODS, *CONFIDENCES]
)
def test_the_guide_lists_every_choice(value: str) -> None:
    assert f"`{value}`" in GUIDE


def test_the_guide_is_in_the_nav() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  - For editors:\n      - Content guide: content-guide.md\n" in config


def test_the_guide_examples_exist() -> None:
    for ref in re.findall(r"`([a-z0-9-]+#[a-z0-9-]+)`", GUIDE):
        if ref != "sheet-id#statement-id":
            CORPUS.statement(ref)  # raises if the example is gone
