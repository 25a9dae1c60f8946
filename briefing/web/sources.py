"""What a source's own page adds: the passages it is cited for, and how much they cover."""

from __future__ import annotations

from dataclasses import dataclass

from briefing.check import coverage
from briefing.check.verify import Checked, normalise_quote
from briefing.model import records
from briefing.present import views
from briefing.present.links import Linker


@dataclass(frozen=True)
class CitedQuote:
    """A passage of a source and the statements that rest on it."""

    quote: str
    statements: tuple[views.CitingStatement, ...]


@dataclass(frozen=True)
class CoverageView:
    """How much of a source its quotes cover (see briefing.check.coverage)."""

    covered: int
    counted: int
    excluded: int
    percent: str


def coverage_view(checked: Checked, source: records.Source) -> CoverageView:
    """How much of a source its statements' quotes cover (computed on its own page only)."""
    quotes = (st.quote.value for _, st in checked.corpus.citing(source.id))
    result = coverage.source_coverage(source, checked.texts[source.id], quotes)
    return CoverageView(
        result.covered,
        result.counted,
        result.excluded_count,
        coverage.percent_label(result.percent),
    )


def cited_quotes(linker: Linker, checked: Checked, source: records.Source) -> list[CitedQuote]:
    """Each distinct quote taken from a source, in the order of the text, with its statements."""
    found: dict[str, list[tuple[records.Sheet, records.Statement]]] = {}
    shown: dict[str, str] = {}
    for sheet, st in checked.corpus.citing(source.id):
        key = normalise_quote(st.quote.value)
        found.setdefault(key, []).append((sheet, st))
        shown.setdefault(key, " ".join(st.quote.value.split()))
    texts = checked.texts
    text = texts[source.id].normalised if source.id in texts else ""
    order = sorted(found, key=lambda key: (text.find(key), key))
    return [
        CitedQuote(shown[key], tuple(views.citing(linker, s, st) for s, st in found[key]))
        for key in order
    ]
