"""Fidelity rules: a statement never claims more certainty than the quote it rests on.

A hedge in the quote ('ostensibly', 'apparently', 'believe', 'could', 'may', 'according
to' and the others in HEDGES) must survive in the statement's text or its attribution, in
any form of the word ('believes' keeps 'believe'). 'According to' is also kept by an
'attributed_to', which the pages print as whom the claim is according to. 'May' before or
after a number is the month, not a hedge.
"""

from __future__ import annotations

import re

from briefing.model import records
from briefing.model.errors import Problem

# Each hedge, and the forms of it that keep it.
HEDGES: dict[str, str] = {
    "according to": r"according to",
    "apparently": r"apparent(?:ly)?",
    "believe": r"belie(?:ve|ves|ved|f|fs)",
    "could": r"could",
    "may": r"may",
    "might": r"might",
    "necessarily": r"necessar(?:y|ily)",
    "ostensibly": r"ostensibl[ey]",
    "seem": r"seem(?:s|ed|ingly)?",
    "undoubtedly": r"undoubted(?:ly)?",
    "would": r"would",
}
_PATTERNS = {name: re.compile(rf"\b{form}\b", re.IGNORECASE) for name, form in HEDGES.items()}
_MONTH = re.compile(r"\bMay\s+[0-9]|[0-9]\s+May\b")


def hedges(text: str) -> set[str]:
    """The hedges a text holds, by name."""
    text = _MONTH.sub(" ", text)
    return {name for name, pattern in _PATTERNS.items() if pattern.search(text)}


def dropped_hedges(statement: records.Statement) -> Problem | None:
    """A problem if the statement's text and attribution drop a hedge of its quote."""
    kept = hedges(statement.text.value + " " + (statement.attributed_to or statement.text).value)
    if statement.attributed_to is not None:
        kept.add("according to")  # the page says whom the statement is according to
    missing = sorted(hedges(statement.quote.value) - kept)
    if not missing:
        return None
    words = ", ".join(f"'{m}'" for m in missing)
    return Problem(
        statement.text.loc,
        f"statement '{statement.id}' drops the hedge {words} of its quote; keep it in "
        "'text' or 'attributed_to': a statement is no more certain than its source",
    )
