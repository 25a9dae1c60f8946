"""Inferred dates: an event's date is printed in its quotes, or marked as inferred.

A date counts as printed when one quote of the event's own statements holds all of its
parts: the year (as four digits), the month by name ('October', 'Oct.') for a month or a
day, and the day as a number ('23', '23rd') for a day. A date given by no quote needs
'date_inferred', which says how it was inferred; pages then show it as inferred. A date
from outside the source is better left out: 'after' and 'before' order an event without
one.
"""

from __future__ import annotations

import calendar
import re

from briefing.model import records
from briefing.model.errors import Problem


def _parts(date: records.PartialDate) -> list[tuple[str, re.Pattern[str]]]:
    """What a quote must print for the date: (as a message names it, pattern)."""
    year, month, day = date.sort_key
    parts = [(str(year), re.compile(rf"(?<!\d){year}(?!\d)"))]
    if month:
        name = calendar.month_name[month]
        parts.append((name, re.compile(rf"\b(?:{name}|{name[:3]}\.?)(?!\w)", re.IGNORECASE)))
    if day:
        parts.append((f"day {day}", re.compile(rf"(?<!\d){day}(?:st|nd|rd|th)?(?!\d)")))
    return parts


def unprinted(date: records.PartialDate, quotes: list[str]) -> list[str]:
    """The parts of date that no single quote prints in full ([] if one does)."""
    best: list[str] | None = None
    for quote in quotes:
        missing = [what for what, pattern in _parts(date) if not pattern.search(quote)]
        if best is None or len(missing) < len(best):
            best = missing
    return best if best is not None else [what for what, _ in _parts(date)]


def uninferred_dates(event: records.Event) -> list[Problem]:
    """A problem for each date of the event that its quotes do not print, unless the event
    says how its dates were inferred ('date_inferred')."""
    if event.date_inferred is not None:
        return []
    quotes = [statement.quote.value for statement in event.statements]
    problems = []
    for date in event.all_dates:
        missing = unprinted(date, quotes)
        if missing:
            problems.append(
                Problem(
                    date.loc,
                    f"date '{date.value}' is not printed in this event's quotes (no quote "
                    f"gives {' and '.join(missing)}); leave it out and order the event with "
                    "'after' or 'before', or say how it was inferred in 'date_inferred' "
                    "(a 'date_note' that says so becomes 'date_inferred')",
                )
            )
    return problems
