"""Where a quote lies in an archived text as published, in Unicode code points.

Quotes are verified against the normalised text (briefing.check.verify): typography folded,
white space collapsed, hard-wrapped lines joined and words the layout broke mended. An
annotation must point into the text as published (sources/<id>.txt), so each character of
the normalised text is mapped back to the span of the published text it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from briefing.check.verify import normalise, normalise_quote, normalise_text, paragraphs
from briefing.model.errors import BriefingError

# A word as str.split() finds them: both split where str.isspace() holds.
_WORD = re.compile(r"\S+")
# What str.splitlines() ends a line with (verify splits the text the same way).
_LINE_ENDS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class OffsetError(BriefingError):
    """The offset map disagrees with the verify stage's normalisation (a bug, not content)."""


@dataclass(frozen=True)
class Aligned:
    """A published text, its normalised form, and for each normalised character the span
    [start, end) of the published text it stands for."""

    raw: str
    normalised: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, quote: str) -> tuple[int, int] | None:
        """The published span of a quote's first occurrence (as verify finds it), or None."""
        wanted = normalise_quote(quote)
        at = self.normalised.find(wanted) if wanted else -1
        if at < 0:
            return None
        return self.starts[at], self.ends[at + len(wanted) - 1]


def _line_map(line: str, offset: int) -> tuple[str, list[int], list[int]]:
    """normalise(line), with the published span of each of its characters."""
    folded = normalise(line)
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for word in _WORD.finditer(line):
        first, last = offset + word.start(), offset + word.end()
        if text:  # a run of white space between words reads as one space
            text.append(" ")
            starts.append(ends[-1])
            ends.append(first)
        chars = word.group()
        if chars.isascii():  # no typography to fold: one character for one
            text.append(chars)
            starts.extend(range(first, last))
            ends.extend(range(first + 1, last + 1))
            continue
        for index, char in enumerate(chars, start=first):
            plain = normalise(char)  # '\u2026' -> '...': three characters for one
            text.append(plain)
            starts.extend([index] * len(plain))
            ends.extend([index + 1] * len(plain))
    if "".join(text) != folded or len(starts) != len(folded):
        raise OffsetError(f"cannot map line at {offset}: {folded!r}")
    return folded, starts, ends


@lru_cache(maxsize=1024)  # a build aligns each text twice: for the pages and the data files
def align(raw: str) -> Aligned:
    """Map the normalised form of a published text back onto it, character by character."""
    lines = raw.splitlines(keepends=True)
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))
    starts: list[int] = []
    ends: list[int] = []
    for paragraph in paragraphs(raw):
        # Offsets in the normalised text where this paragraph begins: after the one space
        # that joins it to the paragraph before, if any.
        base = len(starts) + bool(starts)
        bounds = [at for at, _ in paragraph.starts[1:]] + [len(paragraph.text)]
        for (at, number), until in zip(paragraph.starts, bounds, strict=True):
            content = lines[number - 1].rstrip(_LINE_ENDS)
            _, first, last = _line_map(content, line_starts[number - 1])
            if len(starts) < base + at:
                # The one space that joins two lines or two paragraphs: it stands for the
                # break between the last character before it and the first after it.
                starts.append(ends[-1])
                ends.append(first[0])
            # A line ends where the next one is joined: before the joining space, or before
            # its last character if that was a hyphen the join mended.
            starts.extend(first[: until - at])
            ends.extend(last[: until - at])
    normalised = normalise_text(raw)
    if len(starts) != len(normalised):
        raise OffsetError(f"offset map has {len(starts)} characters, text {len(normalised)}")
    return Aligned(raw, normalised, tuple(starts), tuple(ends))
