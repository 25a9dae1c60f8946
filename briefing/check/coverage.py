"""Stage 4b, coverage: which sentences of each source no statement quote covers.

Sentences. An archived text is split into paragraphs first (see verify.paragraphs: a
hard-wrapped paragraph's lines are joined, a word broken at a line end is mended), so a
title line is a sentence even without a full stop; then after '.', '!' or '?' (and any
closing quotes or brackets) followed by white space, except when
  - the word before the stop is an initialism ('U.S.', 'U.N.', 'e.g.') or a title or
    abbreviation in ABBREVIATIONS ('Mr.', 'Gen.'): 'U.S. Defense Secretary' stays whole;
  - the word before the stop is a single capital, an initial ('John F. Kennedy');
  - the next character is a lowercase letter ('the U.S. dollar', 'wait... what').
A piece without a letter or digit is not a sentence. An initialism that really ends a
sentence ('...in the U.S. Then') joins it to the next: that errs towards longer sentences,
which are harder, never easier, to cover.

Coverage. Sentences and quotes are compared in the normalised text that the verify stage
matches quotes against, so typography and white space never decide. Only letters and digits
count. An occurrence of a statement quote contributes to a sentence when it holds at least a
quarter (MIN_SHARE) of the sentence's letters and digits; a sentence is covered when its
contributing occurrences together hold every one of its letters and digits.

Why this rule: a threshold below the whole sentence would let the word that matters most go
unquoted -- a hedge ('apparently', 'could'), a figure ('90 percent') or an attribution
('Ukrainian officials believe') is a small share of a sentence -- so every letter and digit
must lie in some quote. Several quotes may share a sentence, because one sentence often
carries claims of different kinds ('the troops have arrived' is reported, 'officials
believe, they are preparing...' is attributed); but each must hold a
quarter of it, so a sentence cannot be tiled with one-word quotes. Every occurrence of a
quote counts: the text cannot say which one the editor meant, and an occurrence holds only
the words it literally repeats.

Exclusions. A source's `excluded` passage removes from the denominator every sentence whose
letters and digits it holds in full; one that holds no whole sentence removes nothing and is
reported. The percentage is covered / (sentences - excluded) * 100, and 100 when nothing is
left to cover; it is shown rounded down, so 99.96 % never reads as 100.0 %.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate

from briefing.check.verify import (
    Checked,
    SourceText,
    normalise_quote,
    normalise_text,
    paragraphs,
)
from briefing.model import records

# The least share of a sentence's letters and digits a quote must hold to count for it.
MIN_SHARE = Fraction(1, 4)
# Titles and abbreviations after which a full stop does not end a sentence ('Gen. Smith').
ABBREVIATIONS = frozenset(
    {
        *("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "lt", "col", "capt"),
        *("cmdr", "adm", "sgt", "sen", "rep", "gov", "amb", "rev", "hon", "vs", "cf"),
    }
)
# A sentence ends at '.', '!' or '?' (possibly several, as in '...' or '?!'), then any
# closing quotes or brackets, then white space.
_STOP = re.compile(r"[.!?]+[\"')\]]*(?=\s)")
_INITIALISM = re.compile(r"(?:^|[\s(\"'])(?:[A-Za-z]\.){2,}$")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")
_CLOSERS = "\"')]"
# What an initialism or an abbreviation before a stop is made of.
_WORD_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.")
_NEXT_CHARACTER = re.compile(r"\s*(\S?)")
# A letter or digit, as str.isalnum() sees it (\w without the underscore).
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a source: its place, its line in the archived text and its words."""

    number: int
    line: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Excluded:
    """An exclusion of the source sheet and the sentences it removes from the denominator."""

    exclusion: records.Exclusion
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class SourceCoverage:
    """How much of one source its statements' quotes cover."""

    source_id: str
    path: str
    sentences: tuple[Sentence, ...]
    uncovered: tuple[Sentence, ...]
    excluded: tuple[Excluded, ...]

    @property
    def excluded_count(self) -> int:
        """Sentences left out of the denominator (each counted once)."""
        return len({s.number for e in self.excluded for s in e.sentences})

    @property
    def counted(self) -> int:
        """Sentences that ought to be covered."""
        return len(self.sentences) - self.excluded_count

    @property
    def covered(self) -> int:
        """Counted sentences that some quote covers."""
        return self.counted - len(self.uncovered)

    @property
    def percent(self) -> float:
        """The share of counted sentences covered, in percent; 100 when none are counted."""
        return 100.0 if self.counted == 0 else 100 * self.covered / self.counted

    def below(self, threshold: float) -> bool:
        """Whether the coverage is under threshold percent (compared exactly)."""
        return self.covered * 100 < threshold * self.counted


def _ends_sentence(line: str, stop: re.Match[str]) -> bool:
    """Whether the stop matched in line ends a sentence (see the module docstring).

    It looks at the next character and at the word before the stop only: slicing the line
    before and after each stop made splitting quadratic in the length of a line.
    """
    if _NEXT_CHARACTER.match(line, stop.end()).group(1).islower():  # type: ignore[union-attr]
        return False
    cut = stop.end()  # the stop without its closing quotes and brackets
    while cut > 0 and line[cut - 1] in _CLOSERS:
        cut -= 1
    if line[cut - 1 : cut] == "." and line[cut - 2 : cut] != "..":
        # The word before the stop, and the character before it ('U.S.' after a space).
        start = cut
        while start > 0 and line[start - 1] in _WORD_CHARACTERS:
            start -= 1
        before = line[max(start - 1, 0) : cut]
        if _INITIALISM.search(before):
            return False
        word = _WORD_BEFORE.search(before)
        if word and word.group(1).lower() in ABBREVIATIONS:
            return False
        # A single capital is an initial ('John F. Kennedy'), not the end of a sentence.
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            return False
    return True


def split_line(line: str) -> list[str]:
    """One line of text (already normalised) -> its sentences."""
    pieces, start = [], 0
    for stop in _STOP.finditer(line):
        if _ends_sentence(line, stop):
            pieces.append(line[start : stop.end()].strip())
            start = stop.end()
    pieces.append(line[start:].strip())
    return [p for p in pieces if _LETTER_OR_DIGIT.search(p)]


def split_sentences(raw: str, normalised: str | None = None) -> tuple[Sentence, ...]:
    """A source's archived text -> its sentences, located in the normalised text (pass
    normalise_text(raw) as normalised where it is already made)."""
    text = normalise_text(raw) if normalised is None else normalised
    sentences: list[Sentence] = []
    cursor = 0
    for paragraph in paragraphs(raw):
        inside = 0
        for piece in split_line(paragraph.text):
            start = text.find(piece, cursor)
            at = paragraph.text.find(piece, inside)
            if start < 0 or at < 0:  # cannot happen for text made by normalise_text
                continue
            cursor, inside = start + len(piece), at + len(piece)
            line = paragraph.line_at(at)
            sentences.append(Sentence(len(sentences) + 1, line, piece, start, cursor))
    return tuple(sentences)


def _occurrences(quote: str, text: str) -> list[tuple[int, int]]:
    """Every (start, end) at which quote occurs in text, overlapping ones included."""
    spans, start = [], text.find(quote)
    while quote and start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


class _LetterCount:
    """How many letters and digits lie in any stretch of one text, in constant time.

    Coverage only ever compares counts of letters and digits (in a sentence, in the part of
    a quote inside it, in the gaps between quotes), so a prefix sum answers it without
    listing every letter's position (which took 5 ms per source page).
    """

    def __init__(self, text: str) -> None:
        self.prefix = list(accumulate(map(str.isalnum, text), initial=0))

    def __call__(self, start: int, end: int) -> int:
        return self.prefix[end] - self.prefix[start] if start < end else 0


def is_covered(
    count: Callable[[int, int], int], sentence: Sentence, spans: Iterable[tuple[int, int]]
) -> bool:
    """Whether the spans that each hold a MIN_SHARE of the sentence's letters and digits
    together hold all of them (count: letters and digits between two offsets)."""
    total = count(sentence.start, sentence.end)
    inside = sorted(
        (max(start, sentence.start), min(end, sentence.end))
        for start, end in spans
        if start < sentence.end and sentence.start < end
    )
    cursor = sentence.start
    for start, end in inside:
        if count(start, end) * MIN_SHARE.denominator < MIN_SHARE.numerator * total:
            continue  # too small a share of the sentence to count
        if count(cursor, start):
            return False  # letters before this span that no contributing span holds
        cursor = max(cursor, end)
    return count(cursor, sentence.end) == 0


def excluded_spans(exclusion: records.Exclusion, text: str) -> list[tuple[int, int]]:
    """Where an exclusion lies in the normalised text: every occurrence of its quote, or the
    block from the first occurrence of 'from' through the first 'to' after it."""
    if exclusion.quote is not None:
        return _occurrences(normalise_quote(exclusion.quote.value), text)
    assert exclusion.start is not None and exclusion.end is not None
    first = text.find(normalise_quote(exclusion.start.value))
    last = normalise_quote(exclusion.end.value)
    end = text.find(last, max(first, 0))
    return [(first, end + len(last))] if first >= 0 and end >= 0 else []


def source_coverage(
    source: records.Source, text: SourceText, quotes: Iterable[str]
) -> SourceCoverage:
    """The coverage of one source by the given quotes (as written; normalised here)."""
    sentences = split_sentences(text.raw, text.normalised)
    spans = sorted({s for q in quotes for s in _occurrences(normalise_quote(q), text.normalised)})
    count = _LetterCount(text.normalised)
    ends = [s.end for s in sentences]  # in order: sentences do not overlap
    excluded = []
    for exclusion in source.excluded:
        removes: set[int] = set()
        for start, end in excluded_spans(exclusion, text.normalised):
            # The sentences this occurrence overlaps; it removes those it holds in full.
            at = bisect_right(ends, start)
            while at < len(sentences) and sentences[at].start < end:
                s = sentences[at]
                if count(max(start, s.start), min(end, s.end)) == count(s.start, s.end):
                    removes.add(at)
                at += 1
        excluded.append(Excluded(exclusion, tuple(sentences[at] for at in sorted(removes))))
    out = {s.number for e in excluded for s in e.sentences}
    uncovered = tuple(
        s for s in sentences if s.number not in out and not is_covered(count, s, spans)
    )
    return SourceCoverage(source.id, text.path, sentences, uncovered, tuple(excluded))


def coverage(checked: Checked) -> tuple[SourceCoverage, ...]:
    """The coverage of every source in a checked corpus, by source id."""
    quotes: dict[str, list[str]] = {}
    for sheet in checked.corpus.sheets:
        for statement in sheet.statements:
            quotes.setdefault(statement.source.target, []).append(statement.quote.value)
    results = []
    for source in sorted(checked.corpus.of_kind("source"), key=lambda s: s.id):
        assert isinstance(source, records.Source)
        text = checked.texts[source.id]
        results.append(source_coverage(source, text, quotes.get(source.id, ())))
    return tuple(results)


def percent_label(value: float) -> str:
    """A percentage rounded down to one decimal: '97.6%'."""
    return f"{math.floor(value * 10) / 10:.1f}%"


def report(results: Iterable[SourceCoverage]) -> list[str]:
    """The lines `build.py coverage` prints: per source its figure, gaps and exclusions."""
    lines: list[str] = []
    results = tuple(results)
    for result in results:
        lines.append(
            f"{result.source_id}: {result.covered} of {result.counted} sentences covered "
            f"({percent_label(result.percent)}), {result.excluded_count} excluded"
        )
        for sentence in result.uncovered:
            lines.append(f'  {result.path}:{sentence.line}: not covered: "{sentence.text}"')
        for excluded in result.excluded:
            exclusion = excluded.exclusion
            for sentence in excluded.sentences:
                lines.append(
                    f"  {result.path}:{sentence.line}: excluded ({exclusion.reason}): "
                    f'"{sentence.text}"'
                )
            if not excluded.sentences:
                lines.append(
                    f"  {exclusion.texts[0].loc}: exclusion holds no whole sentence, so it "
                    "excludes nothing; quote the whole sentence"
                )
    covered = sum(r.covered for r in results)
    counted = sum(r.counted for r in results)
    total = 100.0 if counted == 0 else 100 * covered / counted
    sources = f"{len(results)} source{'s' * (len(results) != 1)}"
    lines.append(
        f"total: {covered} of {counted} sentences covered ({percent_label(total)}) in {sources}"
    )
    return lines
