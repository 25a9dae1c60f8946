"""The order of events: by the dates their sources print, then as the sources order them.

No date is invented to order an event. An event ordered relative to another ('after:' or
'before:' an event id, as when a source says "the day before") stands right next to that
event, whatever its own date (which must not contradict the order); several next to one
event stand in source order. Dated events sort by year, month and
day (a year or a month before the days within it), then by source order. Undated events
with no relative order come last, in source order. Source order is where an event's first
quote lies in its source's archived text; the id decides only where nothing else does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from briefing.model import records
from briefing.model.errors import Problem

# Where an event's first quote lies: (offset in its source's normalised text, source id).
SourcePlace = tuple[int, str]
NOWHERE_IN_SOURCES: SourcePlace = (1 << 62, "")


def _relation(event: records.Event) -> str:
    return "after" if event.after is not None else "before"


def cycles(events: Iterable[records.Event]) -> list[Problem]:
    """A problem at every 'after'/'before' that leads, through others, back to its event."""
    by_id = {e.id: e for e in events}
    problems = []
    for event in by_id.values():
        if event.relative is None:
            continue
        chain = [event.id]
        current = by_id.get(event.relative.target)
        while current is not None and current.relative is not None and current.id not in chain:
            chain.append(current.id)
            current = by_id.get(current.relative.target)
        if current is not None and current.id == event.id:
            loop = " -> ".join([*chain, event.id])
            problems.append(
                Problem(
                    event.relative.loc,
                    f"'{_relation(event)}: {event.relative.target}' makes a cycle of relative "
                    f"order ({loop}); date one of these events or remove one 'after'/'before'",
                )
            )
    return problems


def _common(a: records.PartialDate, b: records.PartialDate) -> tuple[list[str], list[str]]:
    """Two dates cut to the precision both have: ('2024-10-23', '2024') -> (['2024'], ['2024'])."""
    left, right = a.value.split("-"), b.value.split("-")
    size = min(len(left), len(right))
    return left[:size], right[:size]


def contradictions(events: Iterable[records.Event]) -> list[Problem]:
    """A problem where a dated event's 'after'/'before' contradicts the dates: an event
    placed next to another keeps its own date only if that date allows the order."""
    by_id = {e.id: e for e in events}
    problems = []
    for event in by_id.values():
        rel, own = event.relative, event.first
        target = by_id.get(rel.target) if rel is not None else None
        other = anchor_date(target, by_id) if target is not None else None
        if rel is None or own is None or other is None:
            continue
        mine, theirs = _common(own, other)
        which = _relation(event)
        if (which == "after" and mine < theirs) or (which == "before" and mine > theirs):
            problems.append(
                Problem(
                    rel.loc,
                    f"'{which}: {rel.target}' contradicts the dates: this event is dated "
                    f"{own.value}, '{rel.target}' {other.value}; correct the date or the order",
                )
            )
    return problems


def ordered(
    events: Sequence[records.Event], place: Callable[[records.Event], SourcePlace]
) -> tuple[records.Event, ...]:
    """Events in order (see the module docstring); events in a cycle or ordered against an
    unknown event are placed as if undated (check reports them)."""
    by_id = {e.id: e for e in events}
    looping = {p.loc for p in cycles(events)}
    befores: dict[str, list[records.Event]] = defaultdict(list)
    afters: dict[str, list[records.Event]] = defaultdict(list)
    roots: list[records.Event] = []
    for event in events:
        rel = event.relative
        if rel is None or rel.target not in by_id or rel.loc in looping:
            roots.append(event)
        elif event.after is not None:
            afters[rel.target].append(event)
        else:
            befores[rel.target].append(event)

    def by_source(event: records.Event) -> tuple[Any, ...]:
        return (*place(event), event.id)

    def root_key(event: records.Event) -> tuple[Any, ...]:
        first = event.first
        if first is None:
            return (1, (0, 0, 0), *by_source(event))
        return (0, first.sort_key, *by_source(event))

    result: list[records.Event] = []
    seen: set[str] = set()

    def emit(event: records.Event) -> None:
        if event.id in seen:
            return
        seen.add(event.id)
        for earlier in sorted(befores[event.id], key=by_source):
            emit(earlier)
        result.append(event)
        for later in sorted(afters[event.id], key=by_source):
            emit(later)

    for root in sorted(roots, key=root_key):
        emit(root)
    for event in sorted(events, key=by_source):  # anything a cycle left out
        emit(event)
    return tuple(result)


def anchor_date(
    event: records.Event, by_id: dict[str, records.Event]
) -> records.PartialDate | None:
    """The date that places an event: that of the event its 'after'/'before' chain ends at
    (it stands next to it), else its own first date; None when undated or in a cycle."""
    seen: set[str] = set()
    current = event
    while current.id not in seen:
        seen.add(current.id)
        rel = current.relative
        target = by_id.get(rel.target) if rel is not None else None
        if target is None:
            return current.first
        current = target
    return None
