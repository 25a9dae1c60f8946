"""What check tells an editor without failing: warnings and review notices.

Warnings (printed located, check still passes; `check --strict` fails on them):
- a statement's text uses a likelihood word outside the ICD 203 scale (estimative.py);
- free text in a sheet whose statements cite two or more sources says "the author" or "the
  article": the reader cannot tell which source is meant, so name it;
- a dated event without statements: no quote shows its date (dating.py).
Notices: a sheet whose 'review_by' date has passed ("today" is the BRIEFING_TODAY setting
of the environment, YYYY-MM-DD, when set, else the system's date); `check --strict` fails on
them too.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator

from briefing.check.dating import unquoted_date
from briefing.check.estimative import off_scale
from briefing.check.link import Corpus
from briefing.model import records
from briefing.model.errors import BriefingError, Problem

TODAY_SETTING = "BRIEFING_TODAY"
_UNNAMED = re.compile(r"\bthe\s+(author|article)\b", re.IGNORECASE)


def today() -> str:
    """Today as YYYY-MM-DD: BRIEFING_TODAY when set (tests, or checking a past state)."""
    given = os.environ.get(TODAY_SETTING)
    if not given:
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(given).isoformat()
    except ValueError:
        raise BriefingError(
            f"{TODAY_SETTING} must be a date as YYYY-MM-DD (got '{given}'); unset it for today"
        ) from None


def free_texts(sheet: records.Sheet) -> Iterator[records.Text]:
    """Every text of a sheet an editor writes in their own words (not quotes)."""
    yield sheet.summary
    for name in ("role", "bluf", "archive_note", "date_note", "date_inferred"):
        value = getattr(sheet, name, None)
        if isinstance(value, records.Text):
            yield value
    yield from getattr(sheet, "interests", ())
    for section in getattr(sheet, "sections", ()):
        if section.text is not None:
            yield section.text
    for statement in sheet.statements:
        yield statement.text
        if statement.note is not None:
            yield statement.note


def unnamed_sources(sheet: records.Sheet) -> list[Problem]:
    """A warning for each 'the author' or 'the article' in a sheet citing several sources."""
    sources = sorted({statement.source.target for statement in sheet.statements})
    if len(sources) < 2:
        return []
    problems = []
    for text in free_texts(sheet):
        match = _UNNAMED.search(text.value)
        if match:
            problems.append(
                Problem(
                    text.loc,
                    f"warning: '{match.group()}' is ambiguous in a sheet citing "
                    f"{len(sources)} sources ({', '.join(sources)}); name the source "
                    "(its author, publisher or short title)",
                )
            )
    return problems


def warnings(corpus: Corpus) -> list[Problem]:
    """Every warning about the corpus (see the module's docstring)."""
    found: list[Problem] = []
    for sheet in corpus.sheets:
        found.extend(p for st in sheet.statements if (p := off_scale(st)) is not None)
        found.extend(unnamed_sources(sheet))
        if isinstance(sheet, records.Event) and (problem := unquoted_date(sheet)) is not None:
            found.append(problem)
    return found


def is_due(review_by: records.PartialDate, on: str) -> bool:
    """Whether a review date ('2025', '2025-06' or '2025-06-30') has passed on day 'on'."""
    return on[: len(review_by.value)] > review_by.value


def due_sheets(corpus: Corpus, on: str) -> list[tuple[records.Sheet, records.PartialDate]]:
    """Every sheet whose 'review_by' has passed on day 'on', with that date."""
    return [
        (sheet, sheet.review_by)
        for sheet in corpus.sheets
        if sheet.review_by is not None and is_due(sheet.review_by, on)
    ]


def due_for_review(corpus: Corpus, on: str | None = None) -> list[Problem]:
    """A notice for each sheet whose 'review_by' has passed on day 'on' (default: today)."""
    day = on or today()
    return [
        Problem(
            review_by.loc,
            f"notice: sheet '{sheet.id}' was due for review by {review_by.value} "
            f"(today is {day}); review it against its sources and set a later 'review_by'",
        )
        for sheet, review_by in due_sheets(corpus, day)
    ]
