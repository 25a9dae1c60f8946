"""Fidelity rules: a statement never claims more certainty than the quote it rests on.

Hedges. A hedge in the quote ('ostensibly', 'apparently', 'believe', 'could', 'may',
'according to' and the others in HEDGES) must survive in the statement's text or its
attribution, in any form of the word ('believes' keeps 'believe'). 'According to' is also
kept by an 'attributed_to', which the pages print as whom the claim is according to. 'May'
before or after a number is the month, not a hedge.

Voices. A quote that reports someone's words ('Austin said', 'officials warned': a verb of
VOICES) rests on that speaker, so a statement without 'attributed_to' keeps the verb, in any
form, in its text, and the speaker's name where the quote gives one (the capitalised word
next to the verb, 'Austin said' or 'said Austin'). A statement with 'attributed_to' names
its speaker already: the pages print it.

Figures. Every number of a figure's value ('240', the '10' and '12' of '10-12') is printed
in the statement's quote; thousands separators aside ('1,200' is '1200').
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
# One pass over a text finds every hedge: group i is the i-th hedge of HEDGES.
_HEDGE_NAMES = tuple(HEDGES)
_ANY_HEDGE = re.compile(
    "|".join(rf"\b(?P<h{i}>{form})\b" for i, form in enumerate(HEDGES.values())), re.IGNORECASE
)
_MONTH = re.compile(r"\bMay\s+[0-9]|[0-9]\s+May\b")
# What every form of each hedge starts with ('seem' of 'seemingly'). Most texts hold none of
# them, and then the one-pass search need not run (it was a third of validating a sheet).
_HEDGE_ROOTS = tuple(re.split(r"[(\[]", form)[0] for form in HEDGES.values())

# Verbs that report someone's words: (the forms that mark a quote as someone's voice, the
# forms that keep it in a statement's text). Only forms that are verbs and nothing else are
# in the first: 'states' and 'claims' are nouns too ('four states'), so they never trigger.
VOICES: dict[str, tuple[str, str]] = {
    "say": (r"said|says", r"say|says|said|saying"),
    "tell": (r"told", r"tell|tells|told|telling"),
    "warn": (r"warned|warns", r"warn|warns|warned|warning"),
    "claim": (r"claimed", r"claim|claims|claimed|claiming"),
    "argue": (r"argued|argues", r"argue|argues|argued|arguing"),
    "insist": (r"insisted|insists", r"insist|insists|insisted|insisting"),
    "announce": (r"announced", r"announce|announces|announced|announcing"),
    "acknowledge": (r"acknowledged", r"acknowledge|acknowledges|acknowledged|acknowledging"),
    "declare": (r"declared", r"declare|declares|declared|declaring"),
    "assert": (r"asserted", r"assert|asserts|asserted|asserting"),
}
_SPOKEN = {
    name: re.compile(
        rf"(?:\b(?P<before>[A-Z][\w'’.-]*)\s+)?\b(?:{marks})\b(?:\s+(?P<after>[A-Z][\w'’-]*))?"
    )
    for name, (marks, _) in VOICES.items()
}
_KEPT = {name: re.compile(rf"\b(?:{kept})\b", re.I) for name, (_, kept) in VOICES.items()}
# Any reporting verb at all: most quotes have none, and then no verb's pattern need run.
_ANY_MARK = re.compile(rf"\b(?:{'|'.join(marks for marks, _ in VOICES.values())})\b")
# Its words as plain text: a quote without any of them as a substring has no reporting verb
# (the search is case-sensitive), found by `in` far sooner than by the search.
_MARK_WORDS = tuple(word for marks, _ in VOICES.values() for word in marks.split("|"))
# Capitalised words next to a verb that are not a speaker's name.
_NOT_SPEAKERS = frozenset({"He", "She", "It", "They", "We", "I", "You", "This", "That", "The"})
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def hedges(text: str) -> set[str]:
    """The hedges a text holds, by name."""
    # Only for ASCII text, whose lower() folds case exactly as the search's IGNORECASE does
    # (which also takes 'ſ' for 's' and 'K' for 'k'). Taking 'May 5' out (below) cannot
    # make a hedge that the text without it lacks: it leaves a space between word characters.
    if text.isascii():
        lower = text.lower()
        if not any(root in lower for root in _HEDGE_ROOTS):
            return set()
    text = _MONTH.sub(" ", text)
    return {_HEDGE_NAMES[int(m.lastgroup[1:])] for m in _ANY_HEDGE.finditer(text) if m.lastgroup}


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


def voices(text: str) -> dict[str, set[str]]:
    """The reporting verbs a quote holds, by name, each with the speakers named next to it."""
    found: dict[str, set[str]] = {}
    if not any(word in text for word in _MARK_WORDS) or not _ANY_MARK.search(text):
        return found
    for name, pattern in _SPOKEN.items():
        for match in pattern.finditer(text):
            names = {match.group("before"), match.group("after")} - {None, *_NOT_SPEAKERS}
            found.setdefault(name, set()).update(n.rstrip(".,’'") for n in names if n)
    return found


def dropped_voice(statement: records.Statement) -> Problem | None:
    """A problem if the quote reports someone's words and the statement puts them in no
    one's voice: no 'attributed_to', and its text drops the verb or the speaker."""
    if statement.attributed_to is not None:
        return None
    text = statement.text.value
    for name, speakers in sorted(voices(statement.quote.value).items()):
        lost = sorted(s for s in speakers if not re.search(rf"\b{re.escape(s)}\b", text))
        if _KEPT[name].search(text) and not lost:
            continue
        who = f"'{lost[0]}'" if lost else "its speaker"
        return Problem(
            statement.text.loc,
            f"statement '{statement.id}' drops the voice of its quote ({who}, '{name}'); "
            "say who speaks in 'text', or give 'attributed_to' (and kind 'attributed' or "
            "'quote'): the source reports these words, it does not state them",
        )
    return None


def _numbers(text: str) -> set[str]:
    return {number.replace(",", "") for number in _NUMBER.findall(text)}


def unprinted_figures(statement: records.Statement) -> list[Problem]:
    """A problem for each figure whose value's numbers are not all printed in the quote."""
    printed = _numbers(statement.quote.value)
    problems = []
    for figure in statement.figures:
        missing = sorted(_numbers(figure.value) - printed)
        if missing:
            problems.append(
                Problem(
                    figure.loc,
                    f"figure '{figure.value}' of statement '{statement.id}' is not printed "
                    f"in its quote (no '{missing[0]}' there); a figure is a number the quote "
                    "gives: quote the passage that prints it, or remove the figure",
                )
            )
    return problems
