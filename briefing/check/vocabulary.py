"""The vocabulary sheet, content/vocabulary.yaml: loaded and validated like any sheet.

It is read before the sheets, since validating a relation looks its types up in it. A
project without the file gets the built-in types (see briefing.model.vocabulary).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from briefing.check.load import load_file
from briefing.check.validate import INVALID, Reader
from briefing.model.errors import Loc, Problem
from briefing.model.vocabulary import (
    BUILT_IN_EVENT_TYPES,
    BUILT_IN_VOCABULARY,
    VOCABULARY_FIELDS,
    VOCABULARY_FILE,
    Vocabulary,
)

WHAT = "vocabulary"


def load_vocabulary(root: Path, content_dir: Path) -> tuple[Vocabulary, list[Problem]]:
    """content/vocabulary.yaml -> Vocabulary (the built-in one if absent) and its problems.

    An invalid sheet also gives the built-in vocabulary, so that its problems are reported
    once, not again at every relation.
    """
    path = content_dir / VOCABULARY_FILE
    if path.is_symlink() or not path.is_file():  # discover reports a link
        return BUILT_IN_VOCABULARY, []
    shown = f"{content_dir.relative_to(root).as_posix()}/{VOCABULARY_FILE}"
    document, problems = load_file(path, shown, "vocabulary")
    if document is None:
        return BUILT_IN_VOCABULARY, problems
    reader = Reader()
    vocabulary = reader.read_object(VOCABULARY_FIELDS, document.root, WHAT, Vocabulary, path=shown)
    if vocabulary is not INVALID:
        for what, terms in (
            ("relation", vocabulary.relation_types),
            ("event", vocabulary.event_types),
        ):
            seen: dict[str, Loc] = {}
            for term in terms:
                if term.id in seen:
                    reader.fail(
                        term.loc,
                        f"{what} type '{term.id}' is defined twice "
                        f"(first at line {seen[term.id].line})",
                    )
                seen.setdefault(term.id, term.loc)
    if vocabulary is INVALID or reader.problems:
        return BUILT_IN_VOCABULARY, [*problems, *reader.problems]
    if not vocabulary.event_types:  # a sheet without 'event_types': the built-in ones
        vocabulary = dataclasses.replace(vocabulary, event_types=BUILT_IN_EVENT_TYPES)
    return vocabulary, problems
