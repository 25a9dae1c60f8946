"""Stage 4, verify: every quote occurs verbatim in its source's archived text.

Quotes and texts are compared after normalising white space, curly and straight quotes,
dashes and the ellipsis, so that typography does not decide whether a quote matches;
letters, digits and punctuation otherwise must match exactly.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from briefing.check.characters import decode
from briefing.check.link import Corpus
from briefing.model import records
from briefing.model.contract import PLACEHOLDER
from briefing.model.errors import Loc, Problem

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


# The typographic characters, as one class: substituting only where one occurs is three
# times faster than str.translate, which looks up every character of the text.
_TYPOGRAPHIC = re.compile("[" + re.escape("".join(map(chr, _TYPOGRAPHY))) + "]")


def _plain(match: re.Match[str]) -> str:
    return str(_TYPOGRAPHY[ord(match.group())])


def normalise(text: str) -> str:
    """Fold typography and white space so that only wording decides a match."""
    if not text.isascii():  # the typographic characters are all beyond ASCII
        text = _TYPOGRAPHIC.sub(_plain, text)
    # str.split() splits where the regex \s+ matches (both use str.isspace), and quicker.
    return " ".join(text.split())


@lru_cache(maxsize=1 << 16)
def normalise_quote(quote: str) -> str:
    """normalise() for quotes, remembered: verify, coverage and each source page need it."""
    return normalise(quote)


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


def closest_passage(quote: str, text: str, candidates: int = 8) -> str:
    """The passage of text (normalised) most like quote, for a 'did you mean' hint.

    Scoring every word position with difflib costs ~0.6 s per miss on a 5 KB text, so a
    linear pass first ranks windows by how many of the quote's words they hold, and only
    the best few are compared character by character.
    """
    words = text.split(" ")
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word) + 1)
    wanted = set(quote.split(" "))
    size = min(len(quote.split(" ")), len(words))
    shared = sum(word in wanted for word in words[:size])
    ranked = [(shared, 0)]
    for first in range(1, len(words) - size + 1):
        shared += (words[first + size - 1] in wanted) - (words[first - 1] in wanted)
        ranked.append((shared, first))
    ranked.sort(key=lambda pair: (-pair[0], pair[1]))
    width = len(quote)
    best, best_ratio = 0, -1.0
    for _, first in ranked[:candidates]:
        start = starts[first]
        ratio = difflib.SequenceMatcher(None, quote, text[start : start + width]).ratio()
        if ratio > best_ratio:
            best, best_ratio = start, ratio
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
        if raw is not None and raw.startswith(PLACEHOLDER):
            message = (
                "the archived text is still the placeholder that `briefing new` wrote; "
                "paste the source's full text, as published"
            )
            problems.append(Problem(Loc(shown), message))
        elif raw is not None:
            texts[sheet.id] = SourceText(sheet.id, shown, raw, normalise(raw))
    return texts, problems


def check_quote(quote: records.Text, text: SourceText) -> Problem | None:
    """A problem if the quote is not in the text."""
    wanted = normalise_quote(quote.value)
    if wanted in text.normalised:
        return None
    near = closest_passage(wanted, text.normalised)
    hint = f'; closest passage: "{near}"' if near else ""
    return Problem(quote.loc, f"quote not found in source '{text.source_id}' ({text.path}){hint}")


def quotes(corpus: Corpus) -> list[tuple[records.Text, str]]:
    """Every quote to verify, with the id of the source it must occur in."""
    found: list[tuple[records.Text, str]] = []
    for sheet in corpus.sheets:
        found.extend((statement.quote, statement.source.target) for statement in sheet.statements)
        if isinstance(sheet, records.Source):
            found.extend((exclusion.quote, sheet.id) for exclusion in sheet.excluded)
    return found


def with_source_places(corpus: Corpus, texts: Mapping[str, SourceText]) -> Corpus:
    """The corpus with each event's source order: where its first quote lies in its text."""
    places: dict[str, tuple[int, str]] = {}
    for event in corpus.of_kind("event"):
        found = []
        for statement in event.statements:
            text = texts.get(statement.source.target)
            at = text.normalised.find(normalise_quote(statement.quote.value)) if text else -1
            if text is not None and at >= 0:
                found.append((at, text.source_id))
        if found:
            places[event.id] = min(found)
    return dataclasses.replace(corpus, source_places=MappingProxyType(places))


def verify(root: Path, corpus: Corpus) -> tuple[MappingProxyType[str, SourceText], list[Problem]]:
    """Check every statement's and exclusion's quote against its source text."""
    texts, problems = read_texts(root, corpus)
    for quote, source_id in quotes(corpus):
        text = texts.get(source_id)
        if text is not None and (problem := check_quote(quote, text)) is not None:
            problems.append(problem)
    return MappingProxyType(texts), problems
