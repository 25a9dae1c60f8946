"""Stage 1, load: content/<kind>/<id>.yaml files -> documents, strictly.

Finds the sheet files (discover), reads each one's bytes (characters.decode) and parses the
text into a located tree (yamltree.parse); every problem names its file, line and column.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefing.check.characters import decode
from briefing.check.yamltree import Mapping, parse
from briefing.model.contract import SETTINGS_FILE
from briefing.model.errors import Loc, Problem
from briefing.model.vocabulary import VOCABULARY_FILE

KINDS = ("sources", "actors", "relations", "events", "briefings")


@dataclass(frozen=True)
class Document:
    """One sheet file, parsed: its kind (folder), path, file stem and top-level mapping."""

    kind: str
    path: str
    stem: str
    root: Mapping


def load_file(path: Path, shown_as: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """Read one sheet file strictly."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(Loc(shown_as), f"cannot read the file: {error.strerror}")]
    return load_data(data, path, shown_as, kind)


def load_data(
    data: bytes, path: Path, shown_as: str, kind: str
) -> tuple[Document | None, list[Problem]]:
    """One sheet file's bytes, read from path, strictly."""
    text, problems = decode(shown_as, data)
    if text is None:
        return None, problems
    root, problems = parse(shown_as, text)
    if root is None:
        return None, problems
    return Document(kind, shown_as, path.stem, root), problems


def discover(root: Path, content_dir: Path) -> tuple[list[tuple[Path, str, str]], list[Problem]]:
    """Find sheet files: content/<kind>/<id>.yaml. Misplaced YAML files and links are problems."""
    found: list[tuple[Path, str, str]] = []
    problems: list[Problem] = []
    # A symbolic link would publish or quote a file from outside content/ (a key, /etc/...).
    link_message = "symbolic links are not allowed in content/; put the file itself here"
    base = content_dir.relative_to(root).as_posix()
    if content_dir.is_symlink():
        return found, [Problem(Loc(base), link_message)]
    if not content_dir.is_dir():  # as rglob lists nothing there
        return found, problems
    # In path order, as sorted(content_dir.rglob("*")) lists them (parts compared in turn).
    for parts, entry in sorted(entries(content_dir), key=_parts_of):
        shown = "/".join((base, *parts))
        if entry.is_symlink():
            problems.append(Problem(Loc(shown), link_message))
            continue
        suffix = PurePosixPath(entry.name).suffix
        if suffix not in (".yaml", ".yml") or not entry.is_file():
            continue
        if parts in ((SETTINGS_FILE,), (VOCABULARY_FILE,)):
            continue  # corpus-level sheets, loaded by briefing.check.settings and .vocabulary
        if suffix == ".yml":
            message = f"sheets end in '.yaml'; rename it to '{PurePosixPath(entry.name).stem}.yaml'"
            problems.append(Problem(Loc(shown), message))
        elif len(parts) != 2 or parts[0] not in KINDS:
            message = (
                f"sheets live in content/<kind>/, where kind is one of: {', '.join(KINDS)} "
                f"(and the corpus settings in content/{SETTINGS_FILE}, "
                f"the vocabulary in content/{VOCABULARY_FILE})"
            )
            problems.append(Problem(Loc(shown), message))
        else:
            found.append((content_dir.joinpath(*parts), shown, parts[0]))
    return found, problems


FoundEntry = tuple[tuple[str, ...], "os.DirEntry[str]"]


def entries(folder: Path, parts: tuple[str, ...] = ()) -> Iterator[FoundEntry]:
    """Every file, folder and link under folder, with its path parts; links are not followed.

    os.scandir knows each entry's type from the directory listing, where pathlib's rglob
    and is_file asked the file system again for each file (0.1 s at 3,000 sheets; and
    0.09 s for each listing of a 1,000-sheet site, briefing.web.sitefiles).
    """
    try:
        with os.scandir(folder) as listing:
            listed = list(listing)
    except PermissionError:  # as rglob does: a folder it may not list is passed over
        return
    for entry in listed:
        yield (*parts, entry.name), entry
        if entry.is_dir(follow_symlinks=False):
            yield from entries(folder / entry.name, (*parts, entry.name))


def _parts_of(entry: FoundEntry) -> tuple[str, ...]:
    return entry[0]


def load_corpus(root: Path, content_dir: Path) -> tuple[list[Document], list[Problem]]:
    """Load every sheet under content_dir; paths in messages are relative to root."""
    files, problems = discover(root, content_dir)
    documents = []
    for path, shown, kind in files:
        document, file_problems = load_file(path, shown, kind)
        problems.extend(file_problems)
        if document is not None:
            documents.append(document)
    return documents, problems
