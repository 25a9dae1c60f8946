"""Inferred dates: an event's date is printed in its quotes, or marked as inferred.

A date counts as printed when one quote of the event's own statements holds all of its
parts: the year (as four digits), the month by name ('October', 'Oct.') for a month or a
day, and the day as a number ('23', '23rd') for a day. A date given by no quote needs
'date_inferred', which says how it was inferred; pages then show it as inferred. Sheets
written before 'date_inferred' existed said so in 'date_note', which still counts (pages
have always shown it as the inference). A date from outside the source is better left
out: 'after' and 'before' order an event without one.

An event with no statements has no quote to test its date against: check warns that its
date stands on no quote, and does not fail.
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
    if event.date_inferred is not None or event.date_note is not None or not event.statements:
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


def unquoted_date(event: records.Event) -> Problem | None:
    """A warning for a dated event without statements, whose date no quote can show."""
    if event.statements or event.first is None or event.date_inferred or event.date_note:
        return None
    return Problem(
        event.first.loc,
        f"warning: event '{event.id}' is dated {event.first.value} but has no statement; add "
        "one whose quote prints the date, or say how it was inferred in 'date_inferred'",
    )
