"""The check stage in order: load all, validate all, link, verify, then the rules that need
the whole corpus (restatement; warnings and review notices, which do not fail the check)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType

from briefing.check.link import Corpus, link
from briefing.check.load import KINDS, Document, discover, load_data, load_file
from briefing.check.memo import Loaded, SheetMemo
from briefing.check.restatement import unsupported
from briefing.check.review import due_for_review, warnings
from briefing.check.settings import load_settings
from briefing.check.validate import Reader, validate_document
from briefing.check.verify import Checked, SourceText, verify, with_source_places
from briefing.check.vocabulary import load_vocabulary
from briefing.forked import run_shares, share_of
from briefing.model import records
from briefing.model.errors import ContentError, Problem
from briefing.model.vocabulary import Vocabulary
from briefing.project import Project


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector: checking keeps every object it makes (no cycles), so
    each collection rescanned a growing heap: 21% of check at 3,000 sheets, 13% at 1,000.

    What was made meanwhile then counts as old (freeze and unfreeze move every object to
    the oldest generation without scanning it): left young, the first young collections
    after the pause scanned all of it, 0.07 s before rendering 3,000 sheets could start.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def check(project: Project, workers: int = 1, memo: SheetMemo | None = None) -> Checked:
    """Load all, validate all, link, verify; raise ContentError with every problem found.

    workers: processes to load and validate a large corpus in (forked: see briefing.forked).
    memo: sheets loaded by earlier checks (of this process, the live preview's; or of the
    previous build, briefing.web.between_builds), reused where their file is unchanged, and
    this check's sheets kept in it.
    """
    with collector_paused():
        if memo is None:
            return _check(project, workers, None)
        with memo.lock:
            return _check(project, workers, memo)


def _check(project: Project, workers: int, memo: SheetMemo | None) -> Checked:
    files, misplaced = discover(project.root, project.content)
    # The vocabulary first: validating a relation looks its types up in it.
    vocabulary, unspoken = load_vocabulary(project.root, project.content)
    count = workers if len(files) >= PARALLEL_FROM else 1
    if memo is not None:
        memo.start(vocabulary)
        if memo.files or count == 1:
            shares = [_remembered(files, vocabulary, memo)]
        else:  # nothing remembered: every file loaded, in parallel, and remembered
            shares = [_remembering(files, vocabulary, memo, count)]
    else:
        shares = run_shares(lambda i, n: _load_and_validate(files, i, n, vocabulary), count)
    placed = sorted((pair for share, _ in shares for pair in share), key=_position)
    sheets = [sheet for _, sheet in placed]
    # Sheets that failed to load or validate are reported once, not again at every reference.
    stems = (path.stem for kind in KINDS for path in project.content.glob(f"{kind}/*.yaml"))
    settings, unsettled = load_settings(project.root, project.content)
    corpus, unresolved = link(sheets, unchecked=stems, settings=settings, vocabulary=vocabulary)
    loaded = (p for _, found in shares for p in found)
    problems = [*misplaced, *unspoken, *loaded, *unsettled, *unresolved]
    sound = not problems
    # Verifying here, while a forked worker (a large corpus's) runs restatement, which reads
    # only the linked corpus and returns only its problems (see _after_link).
    shares_after = run_shares(
        lambda i, n: _after_link(project.root, corpus, i, n, sound), count if sound else 1
    )
    (verified, notices, _), restated = shares_after[0], shares_after[-1][2]
    assert verified is not None
    texts, unverified = verified
    problems.extend(unverified)
    if not problems and restated is not None:
        # Restatement reads every sheet's supporting statements: only on a sound corpus.
        problems = restated
    if problems or notices is None:
        raise ContentError(problems)
    warned, due = notices
    return Checked(with_source_places(corpus, texts), texts, warned, due)


# What follows linking: verification (its source texts and problems); the warnings and
# review notices; the problems of the rules over the corpus (restatement).
Verified = tuple[MappingProxyType[str, SourceText], list[Problem]]
Notices = tuple[tuple[Problem, ...], tuple[Problem, ...]]
AfterLink = tuple[Verified | None, Notices | None, list[Problem] | None]


def _after_link(root: Path, corpus: Corpus, index: int, count: int, sound: bool) -> AfterLink:
    """Share index of count of what follows linking: verify, warnings and notices in the
    first, restatement in the last (the last two only on a sound corpus: see _check);
    restatement takes about as long as the others together."""
    verified, notices, restated = None, None, None
    if index == 0:
        verified = verify(root, corpus)
        if sound:
            notices = (tuple(sorted(warnings(corpus))), tuple(sorted(due_for_review(corpus))))
    if sound and index == count - 1:
        restated = unsupported(corpus)
    return verified, notices, restated


# Sheet files from which loading and validating are shared out among forked processes.
PARALLEL_FROM = 400
# This process loads this many times a worker's share of the files: a worker also pickles
# its records (0.1 s at 3,000 sheets, against 0.57 s for its share) and this process reads
# them back (0.05 s) while the worker waits.
LOADING_FIRST_WEIGHT = 1.2
# A validated sheet and the place of its file in the corpus, which fixes the sheets' order.
Placed = tuple[int, records.Sheet]


def _position(placed: Placed) -> int:
    return placed[0]


def _load_and_validate(
    files: list[tuple[Path, str, str]], index: int, count: int, vocabulary: Vocabulary
) -> tuple[list[Placed], list[Problem]]:
    """Load and validate one share of the files (see share_of), in one go, so that a worker
    sends back only records (pickled, half the size of the YAML trees, and quicker to read)."""
    reader = Reader(vocabulary)
    placed: list[Placed] = []
    problems: list[Problem] = []
    for position in share_of(len(files), index, count, LOADING_FIRST_WEIGHT):
        document, found = load_file(*files[position])
        problems.extend(found)
        sheet = validate_document(reader, document) if document is not None else None
        if sheet is not None:
            placed.append((position, sheet))
    return placed, [*problems, *reader.problems]


def _remembered(
    files: list[tuple[Path, str, str]], vocabulary: Vocabulary, memo: SheetMemo
) -> tuple[list[Placed], list[Problem]]:
    """As _load_and_validate for all files, reading only those changed since memo's check."""
    reader = Reader(vocabulary)
    placed: list[Placed] = []
    problems: list[Problem] = []
    for position, (path, shown, kind) in enumerate(files):
        known = memo.files.get(shown)
        try:
            data = path.read_bytes()
        except OSError:  # load_file says why, as a fresh check does
            loaded = _load_one(reader, load_file(path, shown, kind), b"", kind)
            memo.files.pop(shown, None)
            memo.read += 1
        else:
            # Compared by bytes, not by size and mtime: a timestamp's granularity can hide
            # a second save, and reading is a small part of loading (parsing is most of it).
            if known is None or known.data != data or known.kind != kind:
                known = _load_one(reader, load_data(data, path, shown, kind), data, kind)
                memo.files[shown] = known
                memo.read += 1
            loaded = known
        problems.extend(loaded.problems)
        if loaded.sheet is not None:
            placed.append((position, loaded.sheet))
    memo.keep_only({shown for _, shown, _ in files})
    return placed, problems


def _remembering(
    files: list[tuple[Path, str, str]], vocabulary: Vocabulary, memo: SheetMemo, count: int
) -> tuple[list[Placed], list[Problem]]:
    """As _load_and_validate for all files, shared among count processes, each file then kept
    in memo (as _remembered keeps it)."""
    placed: list[Placed] = []
    problems: list[Problem] = []
    for share in run_shares(lambda i, n: _loaded(files, i, n, vocabulary), count):
        for position, loaded, read in share:
            if read:  # a file that could not be read is not kept (as _remembered does)
                memo.files[files[position][1]] = loaded
            memo.read += 1
            problems.extend(loaded.problems)
            if loaded.sheet is not None:
                placed.append((position, loaded.sheet))
    return placed, problems


def _loaded(
    files: list[tuple[Path, str, str]], index: int, count: int, vocabulary: Vocabulary
) -> list[tuple[int, Loaded, bool]]:
    """Share index of count of the files, each loaded and validated with its bytes (whether it
    could be read)."""
    reader = Reader(vocabulary)
    found = []
    for position in share_of(len(files), index, count, LOADING_FIRST_WEIGHT):
        path, shown, kind = files[position]
        try:
            data = path.read_bytes()
        except OSError:
            found.append(
                (position, _load_one(reader, load_file(path, shown, kind), b"", kind), False)
            )
        else:
            loading = load_data(data, path, shown, kind)
            found.append((position, _load_one(reader, loading, data, kind), True))
    return found


def _load_one(
    reader: Reader, found: tuple[Document | None, list[Problem]], data: bytes, kind: str
) -> Loaded:
    """Validate one loaded file; its record and all its problems, as the memo keeps them."""
    document, problems = found
    start = len(reader.problems)
    sheet = validate_document(reader, document) if document is not None else None
    return Loaded(data, kind, sheet, (*problems, *reader.problems[start:]))
