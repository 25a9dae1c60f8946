"""How current a page or PDF is, and what it rests on: its "as of" date and its sources.

The date is the newest content date the page shows: a shown statement's as_of, the date of
the event a shown statement belongs to, or the date of an event the page lists. Never the
build time; with no such date the page is "undated". The site and the PDFs share this rule,
so a briefing's page and its PDF agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from briefing.check.link import Corpus, iter_refs
from briefing.model import records
from briefing.present.links import Linker, date_label

UNDATED = "undated"


@dataclass(frozen=True)
class SourceLink:
    """A source a page draws on, by title."""

    title: str
    href: str


@dataclass(frozen=True)
class Provenance:
    """A page's as-of date ('' when undated), as ISO and as a reader writes it, and sources."""

    iso: str
    label: str
    sources: tuple[SourceLink, ...]


def statement_dates(sheet: records.Sheet, st: records.Statement) -> list[records.PartialDate]:
    """The dates a shown statement carries: its as_of, and its event's date."""
    event_dates = sheet.all_dates if isinstance(sheet, records.Event) else ()
    return [d for d in (st.as_of, *event_dates) if d is not None]


def newest(dates: Iterable[records.PartialDate]) -> records.PartialDate | None:
    """The latest of the dates (a year sorts before the months and days within it)."""
    return max(dates, key=lambda d: d.sort_key, default=None)


def as_of_label(date: records.PartialDate | None) -> str:
    """'23 October 2024', or 'undated'."""
    return date_label(date) if date is not None else UNDATED


def shown(
    corpus: Corpus, sheet: records.Sheet
) -> tuple[list[tuple[records.Sheet, records.Statement]], list[records.PartialDate]]:
    """The statements a sheet's page shows in full, and the dates of the events it lists."""
    statements = [(sheet, st) for st in sheet.statements]
    dates: list[records.PartialDate] = []
    refs: list[records.Ref] = []
    if isinstance(sheet, records.Briefing):
        refs = [*sheet.key_judgments, *(r for s in sheet.sections for r in s.refs)]
    elif isinstance(sheet, records.Actor):
        dates.extend(d for event in corpus.events_of(sheet.id) for d in event.all_dates)
    for ref in refs:
        target = corpus.by_id[ref.sheet_id]
        if ref.statement_id:
            statements.append((target, corpus.statement(ref.target)))
        elif isinstance(target, records.Event):
            dates.extend(target.all_dates)
    return statements, dates


def provenance(
    linker: Linker,
    statements: Iterable[tuple[records.Sheet, records.Statement]],
    dates: Iterable[records.PartialDate] = (),
    resting_on: Iterable[records.Statement] = (),
) -> Provenance:
    """The as-of date and sources of what a page shows (sources sorted by title).

    `resting_on` are statements the page's own text links to without showing them (an
    actor's summary that links [[id#statement]]): their sources count, their dates do not.
    """
    every = list(dates)
    source_ids = {st.source.target for st in resting_on}
    for sheet, st in statements:
        every.extend(statement_dates(sheet, st))
        source_ids.add(st.source.target)
    date = newest(every)
    sources = sorted(
        (linker.corpus.by_id[i] for i in source_ids), key=lambda s: (s.title.casefold(), s.id)
    )
    return Provenance(
        iso=date.value if date else "",
        label=as_of_label(date),
        sources=tuple(SourceLink(s.title, linker.href(s.id)) for s in sources),
    )


def page_provenance(linker: Linker, sheet: records.Sheet) -> Provenance:
    """The as-of line of a sheet's page: its statements, referenced statements and events."""
    statements, dates = shown(linker.corpus, sheet)
    if isinstance(sheet, records.Event):
        dates.extend(sheet.all_dates)
    linked = [
        linker.corpus.statement(ref.target)
        for ref, inside in iter_refs(sheet)
        if not inside and ref.statement_id  # resolved by check: every one exists
    ]
    return provenance(linker, statements, dates, linked)
