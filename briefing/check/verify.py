"""Stage 4, verify: every quote occurs verbatim in its source's archived text.

Quotes and texts are compared after normalising white space, curly and straight quotes,
dashes and the ellipsis, so that typography does not decide whether a quote matches;
letters, digits and punctuation otherwise must match exactly. Hard-wrapped lines of the
text are joined and a word the layout broke with a hyphen at a line end is mended (see
paragraphs), so that layout does not decide either.
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


# A word broken by the layout at a line end: a letter, a hyphen, then the line break.
_BROKEN_WORD = re.compile(r"[^\W\d_]-$")


@dataclass(frozen=True)
class Paragraph:
    """Lines of an archived text read as one (normalised), and the line each part began on."""

    text: str
    # (offset in text, line number in the archived text) of each joined line, in order.
    starts: tuple[tuple[int, int], ...]

    def line_at(self, offset: int) -> int:
        """The archived text's line number holding the character at offset."""
        return [line for at, line in self.starts if at <= offset][-1]


def _joins(before: str, after: str, wrapped: bool) -> bool:
    """Whether a line break between two lines is only layout (see paragraphs)."""
    if not any(c.isalnum() for c in before) or not any(c.isalnum() for c in after):
        return False  # a rule or an ornament ('—', '* * *') stands alone
    if _BROKEN_WORD.search(before) and after[:1].islower():
        return True
    return wrapped or after[:1].islower()


def paragraphs(raw: str) -> tuple[Paragraph, ...]:
    """An archived text -> its paragraphs, hard-wrapped lines joined.

    A text with a blank line between paragraphs is hard-wrapped (as text converted from a PDF
    is): a line break inside a paragraph is a space. A text without blank lines holds one
    paragraph (or heading) per line, and a line break joins only a line that begins in
    lowercase to the one before. In both, a hyphen at a line end between letters is the
    layout's ('sanc-' + 'tions' reads 'sanctions'), so a quote need not reproduce it.
    """
    lines = raw.splitlines()
    blank = [n for n, line in enumerate(lines) if not line.strip()]
    content = [n for n, line in enumerate(lines) if line.strip()]
    wrapped = bool(content) and any(content[0] < n < content[-1] for n in blank)
    found: list[Paragraph] = []
    text, starts = "", [(0, 0)]
    for number, line in enumerate(lines, start=1):
        part = normalise(line)
        if text and part and _joins(text, part, wrapped):
            broken = bool(_BROKEN_WORD.search(text)) and part[:1].islower()
            text = text[:-1] if broken else text + " "
            starts.append((len(text), number))
            text += part
            continue
        if text:
            found.append(Paragraph(text, tuple(starts)))
        text, starts = part, [(0, number)]
    if text:
        found.append(Paragraph(text, tuple(starts)))
    return tuple(found)


def normalise_text(raw: str) -> str:
    """An archived text as quotes are matched against it: paragraphs joined, normalised."""
    return " ".join(p.text for p in paragraphs(raw))


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
    # What check reports without failing (review.py): warnings, and sheets due for review;
    # each message starts with 'warning:' or 'notice:'.
    warnings: tuple[Problem, ...] = ()
    notices: tuple[Problem, ...] = ()


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
            texts[sheet.id] = SourceText(sheet.id, shown, raw, normalise_text(raw))
    return texts, problems


def check_quote(
    quote: records.Text, text: SourceText, others: Mapping[str, SourceText] | None = None
) -> Problem | None:
    """A problem if the quote is not in the text; it names another source that holds it."""
    wanted = normalise_quote(quote.value)
    if wanted in text.normalised:
        return None
    for other in sorted((others or {}).values(), key=lambda t: t.source_id):
        if other.source_id != text.source_id and wanted in other.normalised:
            return Problem(
                quote.loc,
                f"quote not found in source '{text.source_id}' ({text.path}), but it is in "
                f"source '{other.source_id}' ({other.path}); cite 'source: {other.source_id}'",
            )
    near = closest_passage(wanted, text.normalised)
    hint = f'; closest passage: "{near}"' if near else ""
    return Problem(quote.loc, f"quote not found in source '{text.source_id}' ({text.path}){hint}")


def quotes(corpus: Corpus) -> list[tuple[records.Text, str]]:
    """Every quote to verify, with the id of the source it must occur in."""
    found: list[tuple[records.Text, str]] = []
    for sheet in corpus.sheets:
        found.extend((statement.quote, statement.source.target) for statement in sheet.statements)
        if isinstance(sheet, records.Source):
            found.extend((part, sheet.id) for e in sheet.excluded for part in e.texts)
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
        if text is not None and (problem := check_quote(quote, text, texts)) is not None:
            problems.append(problem)
    problems.extend(block_order(corpus, texts))
    return MappingProxyType(texts), problems


def block_order(corpus: Corpus, texts: Mapping[str, SourceText]) -> list[Problem]:
    """A problem for each excluded block whose 'to' does not follow its 'from' in the text."""
    problems = []
    for sheet in corpus.of_kind("source"):
        assert isinstance(sheet, records.Source)
        text = texts.get(sheet.id)
        for exclusion in sheet.excluded if text is not None else ():
            start, end = exclusion.start, exclusion.end
            if text is None or start is None or end is None:
                continue
            first = text.normalised.find(normalise_quote(start.value))
            last = normalise_quote(end.value)
            if first >= 0 and last in text.normalised and text.normalised.find(last, first) < 0:
                problems.append(
                    Problem(
                        end.loc,
                        f"'to' does not occur after 'from' in source '{sheet.id}' "
                        f"({text.path}); a block runs from its first words to its last",
                    )
                )
    return problems
