"""Source locations, problems and the package's small exception hierarchy."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class Loc(NamedTuple):
    """A place in a content file: path relative to the project root, 1-based line and column.

    Immutable and ordered like the frozen records, but a named tuple: the loader makes one
    per YAML node, and a frozen dataclass took three times as long to build (a tenth of the
    load stage).
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a location, with a message that says how to fix it."""

    loc: Loc
    message: str

    def __str__(self) -> str:
        # A key, file name or value quoted back may hold line breaks or bidi controls;
        # escaped, they cannot forge extra 'path:line:col:' lines or reorder the output.
        return _UNPRINTABLE.sub(_escape, f"{self.loc}: {self.message}")


class BriefingError(Exception):
    """Base of every error the library raises on purpose."""


class ContentError(BriefingError):
    """The content has problems; carries all of them, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        # A tuple key: comparing dataclasses field by field took seconds for 60,000 problems.
        unique = set(problems)
        self.problems: tuple[Problem, ...] = tuple(
            sorted(unique, key=lambda p: (p.loc.path, p.loc.line, p.loc.col, p.message))
        )
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateProblem(BriefingError):
    """A template failed to render; the message names the template and line."""


class SiteBuildError(BriefingError):
    """The site engine failed or warned; the previous site was kept."""


class StageError(BriefingError):
    """A staged folder could not be written (a foreign folder, an unreadable config...)."""


class PdfBuildError(BriefingError):
    """WeasyPrint failed or warned, or a PDF tried to fetch a URL; nothing was replaced."""


class LogCollector(logging.Handler):
    """Keeps every warning and error a library logs, so that a build can fail on them.

    A message matching one of notices (pattern -> fix, the fix may use the pattern's groups
    as in re.Match.expand) is no problem: its fix is kept in self.notices instead.
    """

    def __init__(self, notices: Sequence[tuple[re.Pattern[str], str]] = ()) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.notices: list[str] = []
        self._patterns = tuple(notices)

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        for pattern, fix in self._patterns:
            match = pattern.search(message)
            if match:
                self.notices.append(match.expand(fix))
                return
        self.messages.append(f"{record.levelname.lower()}: {message}")
