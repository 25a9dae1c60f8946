"""Stage 4, verify: every quote occurs verbatim in its source's archived text.

Quotes and texts are compared after normalising white space, curly and straight quotes,
dashes and the ellipsis, so that typography does not decide whether a quote matches;
letters, digits and punctuation otherwise must match exactly.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from briefing import records
from briefing.errors import Problem
from briefing.link import Corpus
from briefing.load import decode

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold typography and white space so that only wording decides a match."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


@dataclass(frozen=True)
class SourceText:
    """A source's archived text, as written and normalised."""

    source_id: str
    path: str
    raw: str
    normalised: str


@dataclass(frozen=True)
class Checked:
    """A corpus that passed every check, with its sources' archived texts."""

    corpus: Corpus
    texts: MappingProxyType[str, SourceText]


# Comparing the quote at every word of the text costs about len(quote) x words: a
# 1,000-character quote against an 11 KB text took a minute, and a sheet may hold many.
# Above this budget the hint is placed by the quote's first _HINT_PROBE characters, at
# the word starts where the quote's longest words first occur; only the most promising
# of those are compared in full.
_HINT_BUDGET = 20_000
_HINT_PROBE = 200
_HINT_CANDIDATES = 100
_HINT_COMPARED = 10


def _anchored_starts(probe: str, text: str, starts: list[int]) -> list[int]:
    """Word starts where probe would begin if one of its words is where text has it first."""
    words, offset = [], 0
    for word in probe.split(" "):
        words.append((word, offset))
        offset += len(word) + 1
    found: set[int] = set()
    for word, offset in sorted(words, key=lambda w: (-len(w[0]), w[1])):
        at = text.find(word)
        if at >= 0 and len(found) < _HINT_CANDIDATES:
            index = bisect.bisect_right(starts, max(0, at - offset)) - 1
            found.update(starts[max(0, index - 2) : index + 3])  # a word or two either way

    def quick(start: int) -> float:
        window = text[start : start + len(probe)]
        return difflib.SequenceMatcher(None, probe, window, autojunk=False).quick_ratio()

    return sorted(sorted(found), key=quick, reverse=True)[:_HINT_COMPARED] or [0]


def _best_start(quote: str, text: str, starts: list[int]) -> int:
    """The start whose window of text is most like quote; the first of equals."""
    width = len(quote)
    best, best_ratio = 0, 0.0
    for start in starts:
        matcher = difflib.SequenceMatcher(None, quote, text[start : start + width], autojunk=False)
        if matcher.real_quick_ratio() > best_ratio and matcher.quick_ratio() > best_ratio:
            ratio = matcher.ratio()
            if ratio > best_ratio:
                best, best_ratio = start, ratio
    return best


def closest_passage(quote: str, text: str) -> str:
    """The passage of text (normalised) most like quote, for a 'did you mean' hint."""
    width = len(quote)
    starts = [0] + [m.end() for m in re.finditer(r" ", text)]
    if width * len(starts) <= _HINT_BUDGET:
        best = _best_start(quote, text, starts)
    else:
        probe = quote[:_HINT_PROBE]
        best = _best_start(probe, text, _anchored_starts(probe, text, starts))
    end = text.find(" ", best + width - 1)  # finish the last word
    return text[best : len(text) if end < 0 else end].strip()


def read_texts(root: Path, corpus: Corpus) -> tuple[dict[str, SourceText], list[Problem]]:
    """Read the archived text of every source sheet, strictly, as the loader reads sheets."""
    texts: dict[str, SourceText] = {}
    problems: list[Problem] = []
    for sheet in corpus.of_kind("source"):
        assert isinstance(sheet, records.Source)
        shown = (Path(sheet.path).parent / sheet.text).as_posix()
        if (root / shown).is_symlink():
            # Never read it: a near-miss quote would print the closest passage of its target.
            message = f"source text '{shown}' is a symbolic link; archive the text itself"
            problems.append(Problem(sheet.loc, message))
            continue
        try:
            data = (root / shown).read_bytes()
        except OSError:
            problems.append(
                Problem(
                    sheet.loc,
                    f"source text '{shown}' not found; archive the source's "
                    "text beside the sheet under that name",
                )
            )
            continue
        raw, text_problems = decode(shown, data)
        problems.extend(text_problems)
        if raw is not None:
            texts[sheet.id] = SourceText(sheet.id, shown, raw, normalise(raw))
    return texts, problems


def check_quote(quote: records.Text, text: SourceText) -> Problem | None:
    """A problem if the quote is not in the text."""
    wanted = normalise(quote.value)
    if wanted in text.normalised:
        return None
    near = closest_passage(wanted, text.normalised)
    hint = f'; closest passage: "{near}"' if near else ""
    return Problem(quote.loc, f"quote not found in source '{text.source_id}' ({text.path}){hint}")


def quotes(corpus: Corpus) -> list[tuple[records.Text, str]]:
    """Every quote to verify, with the id of the source it must occur in."""
    found = []
    for sheet in corpus.sheets:
        found.extend((statement.quote, statement.source.target) for statement in sheet.statements)
        if isinstance(sheet, records.Source):
            found.extend((exclusion.quote, sheet.id) for exclusion in sheet.excluded)
    return found


def verify(root: Path, corpus: Corpus) -> tuple[MappingProxyType[str, SourceText], list[Problem]]:
    """Check every statement's and exclusion's quote against its source text."""
    texts, problems = read_texts(root, corpus)
    for quote, source_id in quotes(corpus):
        text = texts.get(source_id)
        if text is not None and (problem := check_quote(quote, text)) is not None:
            problems.append(problem)
    return MappingProxyType(texts), problems
