"""Loaded and validated sheets kept between the checks of one long-running process.

The live preview checks the whole corpus on every save, though a save changes one file.
Loading and validating are per file: a sheet's record and problems depend only on the
file's bytes, its path and kind, and the vocabulary. So each check still reads every file
(a few milliseconds for thousands), but parses and validates only those whose bytes differ
from the previous check's; no clock or file-system timestamp is trusted. Linking, verifying
and every rule over the whole corpus run on every check, so the result equals a fresh
check's.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from briefing.model import records
from briefing.model.errors import Problem
from briefing.model.vocabulary import Vocabulary


@dataclass(frozen=True)
class Loaded:
    """One sheet file, loaded and validated: its bytes and kind, its record (None if it
    failed) and its problems."""

    data: bytes
    kind: str
    sheet: records.Sheet | None
    problems: tuple[Problem, ...]


@dataclass
class SheetMemo:
    """Sheet files loaded and validated by earlier checks, by the path messages show."""

    vocabulary: Vocabulary | None = None
    files: dict[str, Loaded] = field(default_factory=dict)
    # One check at a time: the preview server builds in one thread, but a memo shared by
    # two checks at once would mix their files.
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Files parsed in the latest check (the rest came from here): for tests and the log.
    read: int = 0

    def start(self, vocabulary: Vocabulary) -> None:
        """Begin a check: forget everything if the vocabulary changed (validation reads it)."""
        if self.vocabulary != vocabulary:
            self.files.clear()
            self.vocabulary = vocabulary
        self.read = 0

    def keep_only(self, shown: set[str]) -> None:
        """Forget files that are gone, so that a deleted sheet is not kept alive."""
        for gone in set(self.files) - shown:
            del self.files[gone]
