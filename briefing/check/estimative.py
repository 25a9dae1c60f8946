"""Estimative language, as in ICD 203: likelihood and confidence, only where the source says so.

A statement's 'likelihood' (one of contract.LIKELIHOODS) must be supported by its quote: the
quote says one of the words PHRASES maps to that term ('probably' supports 'likely', 'highly
unlikely' supports 'very unlikely'). A term the quote does not give would be more certain, or
less, than the source: the error names the terms the quote does support.

A statement's 'confidence' (low, moderate, high) must be stated by its quote in so many words
('high confidence', 'moderately confident': CONFIDENCE_PHRASES). Confidence is how sure the
source is of its judgment, a separate thing from how likely it judges an outcome.

A statement's text that uses a likelihood word outside the scale (OFF_SCALE: 'probably',
'doubtful', 'nearly certain'...) is warned about unless the statement gives 'likelihood': a
reader cannot compare 'probably' with another source's 'likely'. Keep the source's word in
the text (the hedge rule wants it) and give the scale's term in 'likelihood'. 'Possibly' and
'perhaps' say something may happen, not how likely it is: they are hedges, not warned about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefing.model import records
from briefing.model.contract import CONFIDENCES, LIKELIHOODS
from briefing.model.errors import Problem

# Words a quote may give -> the term of the scale they support.
PHRASES: dict[str, str] = {
    "almost no chance": "almost no chance",
    "no chance": "almost no chance",
    "remote chance": "almost no chance",
    "remote possibility": "almost no chance",
    "very unlikely": "very unlikely",
    "highly unlikely": "very unlikely",
    "highly improbable": "very unlikely",
    "unlikely": "unlikely",
    "not likely": "unlikely",
    "improbable": "unlikely",
    "improbably": "unlikely",
    "doubtful": "unlikely",
    "roughly even chance": "roughly even chance",
    "even chance": "roughly even chance",
    "even odds": "roughly even chance",
    "fifty-fifty": "roughly even chance",
    "toss-up": "roughly even chance",
    "likely": "likely",
    "probable": "likely",
    "probably": "likely",
    "very likely": "very likely",
    "highly likely": "very likely",
    "highly probable": "very likely",
    "almost certain": "almost certain",
    "almost certainly": "almost certain",
    "nearly certain": "almost certain",
    "virtually certain": "almost certain",
}
CONFIDENCE_PHRASES: dict[str, str] = {
    "low confidence": "low",
    "little confidence": "low",
    "not confident": "low",
    "moderate confidence": "moderate",
    "moderately confident": "moderate",
    "fairly confident": "moderate",
    "high confidence": "high",
    "highly confident": "high",
    "very confident": "high",
}
# Likelihood words outside the scale, warned about in a statement's text.
OFF_SCALE: tuple[str, ...] = (*(p for p in PHRASES if p not in LIKELIHOODS), "probability")

assert set(PHRASES.values()) == set(LIKELIHOODS)
assert set(CONFIDENCE_PHRASES.values()) == set(CONFIDENCES)


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    # Longest first, so 'highly unlikely' is read before 'unlikely'.
    words = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


_LIKELY = _pattern(PHRASES)
_CONFIDENT = _pattern(CONFIDENCE_PHRASES)
_OFF = _pattern(OFF_SCALE)


def _found(pattern: re.Pattern[str], table: dict[str, str], text: str) -> list[str]:
    """The scale's terms that the phrases of text support, in the scale's order."""
    terms = {table[" ".join(m.group().lower().split())] for m in pattern.finditer(text)}
    order = list(table.values())
    return sorted(terms, key=order.index)


def unsupported_estimates(statement: records.Statement) -> list[Problem]:
    """A problem for a likelihood or confidence the statement's quote does not give."""
    problems = []
    checks = (
        ("likelihood", statement.likelihood, _LIKELY, PHRASES, "'likely', 'probably'"),
        ("confidence", statement.confidence, _CONFIDENT, CONFIDENCE_PHRASES, "'high confidence'"),
    )
    for name, given, pattern, table, example in checks:
        if given is None:
            continue
        supported = _found(pattern, table, statement.quote.value)
        if given.value in supported:
            continue
        if supported:
            why = f"its quote supports only {', '.join(repr(t) for t in supported)}"
        else:
            why = f"its quote gives no {name} (words such as {example})"
        problems.append(
            Problem(
                given.loc,
                f"{name} '{given.value}' of statement '{statement.id}' is not the source's: "
                f"{why}; give the term the quote supports, or remove '{name}'",
            )
        )
    return problems


def off_scale(statement: records.Statement) -> Problem | None:
    """A warning if the text uses a likelihood word outside the ICD 203 scale and the
    statement gives no 'likelihood' to place it on the scale."""
    if statement.likelihood is not None:
        return None
    match = _OFF.search(statement.text.value)
    if match is None:
        return None
    word = " ".join(match.group().split())
    term = PHRASES.get(word.lower())
    hint = f" ('{term}' if the quote supports it)" if term else ""
    return Problem(
        statement.text.loc,
        f"warning: statement '{statement.id}' says '{word}', a likelihood word outside the "
        f"ICD 203 scale; keep the source's word and give 'likelihood'{hint}",
    )
