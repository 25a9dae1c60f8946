"""Statements -> presentation-ready views, so that templates only print.

Views hold text already escaped and linked (Markup) or plain strings that Jinja escapes;
hrefs are computed by a Linker (briefing.present.links), so the site and the PDFs can place
pages differently.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.check.link import Corpus
from briefing.model import records
from briefing.model.contract import KIND, SHEET_KINDS, STATEMENT_KINDS
from briefing.present.links import SECTION_TITLES, Linker, SheetLink, sheet_label, sheet_link

# Whose words a statement is, by kind: the line under each statement says it, so that the
# sheet a statement is filed under is never read as its speaker.
WHOSE = {
    "reported": "stated as fact",
    "attributed": "reporting what others say",
    "quote": "quoting others",
    "assessment": "the source's own assessment",
    "forecast": "the source's own forecast",
}
# A source's title longer than this is shortened under statements (see short_name).
SHORT_TITLE_MAX = 48


def short_name(source: records.Source) -> str:
    """The source's short_title; else its first sentence or words up to SHORT_TITLE_MAX."""
    if source.short_title:
        return source.short_title
    title = source.title
    if len(title) <= SHORT_TITLE_MAX:
        return title
    for end in (". ", "? ", "! ", ": "):
        cut = title.find(end)
        if 0 < cut < SHORT_TITLE_MAX:
            return title[: cut + (end[0] != ":")]
    words = title[:SHORT_TITLE_MAX].rsplit(" ", 1)[0]
    return words.rstrip(" ,;:-–—") + "…"


@dataclass(frozen=True)
class FigureView:
    value: str
    unit: str
    what: Markup
    period: str


@dataclass(frozen=True)
class StatementView:
    """A statement ready to print: badge, text, attribution, quote and where it lives."""

    anchor: str
    kind: str
    kind_label: str
    kind_help: str
    text: Markup
    attributed_to: Markup | None
    quote: str
    source_title: str
    source_short: str
    source_href: str
    whose: str
    figures: tuple[FigureView, ...]
    as_of: str
    note: Markup | None
    sheet_title: str
    sheet_href: str
    # ICD 203 terms, as the source supports them; "" where the statement gives none.
    likelihood: str = ""
    confidence: str = ""


@dataclass(frozen=True)
class CitingStatement:
    """A statement that refers to a page (or cites a quote), as a link with its badge."""

    href: str
    kind: str
    kind_label: str
    text: Markup
    sheet_title: str


@dataclass(frozen=True)
class BacklinkSheet:
    """A sheet that refers to a page: by a field of its own, by statements, or both."""

    title: str
    href: str
    label: str
    statements: tuple[CitingStatement, ...]


@dataclass(frozen=True)
class BacklinkGroup:
    """The sheets of one kind that refer to a page ('Briefings', 'Relations'...)."""

    title: str
    kind: str
    sheets: tuple[BacklinkSheet, ...]


def statement_view(linker: Linker, sheet: records.Sheet, st: records.Statement) -> StatementView:
    """A statement with everything a page prints about it."""
    source = linker.corpus.by_id[st.source.target]
    assert isinstance(source, records.Source)
    return StatementView(
        anchor=st.id,
        kind=st.kind,
        kind_label=KIND[st.kind].label,
        kind_help=KIND[st.kind].meaning,
        text=linker.rich(st.text),
        attributed_to=linker.rich(st.attributed_to) if st.attributed_to else None,
        quote=st.quote.value,
        source_title=source.title,
        source_short=short_name(source),
        source_href=linker.href(source.id),
        whose=WHOSE[st.kind],
        figures=tuple(
            FigureView(f.value, f.unit or "", linker.rich(f.what), f.period or "")
            for f in st.figures
        ),
        as_of=st.as_of.value if st.as_of else "",
        note=linker.rich(st.note) if st.note else None,
        sheet_title=sheet.title,
        sheet_href=linker.href(f"{sheet.id}#{st.id}"),
        likelihood=st.likelihood.value if st.likelihood else "",
        confidence=st.confidence.value if st.confidence else "",
    )


def citing(linker: Linker, sheet: records.Sheet, st: records.Statement) -> CitingStatement:
    """A link to a statement with its kind, for lists of statements elsewhere."""
    return CitingStatement(
        linker.href(f"{sheet.id}#{st.id}"),
        st.kind,
        KIND[st.kind].label,
        linker.rich(st.text),
        sheet.title,
    )


def backlink_groups(
    linker: Linker, sheet_id: str, skip_citations: bool = False
) -> tuple[BacklinkGroup, ...]:
    """Who refers to a sheet, grouped by kind (briefings first), each sheet listed once.

    With skip_citations (for sources), statements that merely cite the sheet as their source are
    left out: the source page lists them by the passage they quote.
    """
    corpus = linker.corpus
    by_sheet: dict[str, list[str]] = {}
    for backlink in corpus.backlinks.get(sheet_id, ()):
        if backlink.statement_id and skip_citations:
            st = corpus.statement(f"{backlink.sheet_id}#{backlink.statement_id}")
            if st.source.target == sheet_id and (
                (sheet_id, backlink.sheet_id, backlink.statement_id) not in corpus.text_links
            ):
                continue
        by_sheet.setdefault(backlink.sheet_id, []).append(backlink.statement_id)
    # The corpus's own order (kind, then id), without walking the whole corpus per page.
    order: dict[str, int] = {kind: n for n, kind in enumerate(SHEET_KINDS)}
    referring = sorted((corpus.by_id[i] for i in by_sheet), key=lambda s: (order[s.kind], s.id))
    groups: dict[str, list[BacklinkSheet]] = {}
    for source in referring:
        ids = set(by_sheet[source.id])
        found = tuple(citing(linker, source, st) for st in source.statements if st.id in ids)
        groups.setdefault(source.kind, []).append(
            BacklinkSheet(source.title, linker.href(source.id), sheet_label(source, corpus), found)
        )
    return tuple(
        BacklinkGroup(SECTION_TITLES[kind], kind, tuple(sheets)) for kind, sheets in groups.items()
    )


def statements(linker: Linker, sheet: records.Sheet) -> tuple[StatementView, ...]:
    """Every statement of a sheet, in the sheet's order."""
    return tuple(statement_view(linker, sheet, st) for st in sheet.statements)


def grouped_statements(
    linker: Linker, sheet: records.Sheet
) -> tuple[tuple[str, tuple[StatementView, ...]], ...]:
    """Statements grouped by kind, in the registry's order; empty groups left out."""
    views = statements(linker, sheet)
    return tuple(
        (KIND[kind].label, group)
        for kind in STATEMENT_KINDS
        if (group := tuple(v for v in views if v.kind == kind))
    )


def referenced(
    linker: Linker, refs: tuple[records.Ref, ...]
) -> tuple[StatementView | SheetLink, ...]:
    """Section refs and key judgments: statements as statements, sheets as links."""
    views: list[StatementView | SheetLink] = []
    for ref in refs:
        sheet = linker.corpus.by_id[ref.sheet_id]
        if ref.statement_id:
            views.append(statement_view(linker, sheet, linker.corpus.statement(ref.target)))
        else:
            views.append(sheet_link(linker, sheet))
    return tuple(views)


def forecasts(
    corpus: Corpus, briefing: records.Briefing
) -> list[tuple[records.Sheet, records.Statement]]:
    """What to watch: the source's forecasts a briefing rests on, those it references, then
    those filed under the sheets it cites whole, in the briefing's order, each once (no new
    text). The page and the PDFs list the same."""
    refs = [*briefing.key_judgments, *(ref for s in briefing.sections for ref in s.refs)]
    found: dict[str, tuple[records.Sheet, records.Statement]] = {}
    for st in briefing.statements:
        found[f"{briefing.id}#{st.id}"] = (briefing, st)
    for ref in refs:
        if ref.statement_id:
            found[ref.target] = (corpus.by_id[ref.sheet_id], corpus.statement(ref.target))
    for ref in refs:
        sheet = corpus.by_id[ref.sheet_id]
        if not ref.statement_id:
            for st in sheet.statements:
                found.setdefault(f"{sheet.id}#{st.id}", (sheet, st))
    return [(s, st) for s, st in found.values() if st.kind == "forecast"]
