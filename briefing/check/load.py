"""Stage 1, load: content files -> located YAML trees, strictly.

PyYAML's own loaders type scalars implicitly (``NO`` becomes False, ``0755`` becomes 493),
let the last of two duplicate keys win and expand aliases.  This stage reads the event
stream of libyaml's C parser instead and builds its own tree, so that every scalar stays
text (the validate stage types it) and every key and item keeps its line and column.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from yaml import events

from briefing.model.errors import Loc, Problem

KINDS = ("sources", "actors", "relations", "events", "briefings")
MAX_FILE_BYTES = 256 * 1024
MAX_VALUE_CHARS = 20_000
# The deepest sheet is sheet > statements > statement > figures > figure > value (6).
MAX_DEPTH = 6

# Control characters other than tab, newline and carriage return; C1 controls too.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters that reorder or hide text (Trojan Source), and a stray byte-order mark.
_INVISIBLE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SEPARATOR = re.compile("[\u2028\u2029]")
# Unicode noncharacters (U+FDD0..U+FDEF, U+FFFE, U+FFFF and their twins in every plane).
# PyYAML refuses U+FFFE and U+FFFF, so one in a title made MkDocs drop a page's front matter
# and render it as Markdown.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)
# All of them at once, for the common case where none occurs. The class holds the ones in
# the Basic Multilingual Plane only: with the noncharacters of the other planes in it, one
# search took 100 µs per sheet instead of 6. Text with a character beyond U+FFFF (rare: an
# emoji) is searched with the full patterns.
_ANY_BAD_BMP = re.compile(
    "["
    + "".join(p.pattern[1:-1] for p in (_CONTROL, _INVISIBLE, _SURROGATE, _SEPARATOR))
    + "\ufdd0-\ufdef\ufffe\uffff]"
)


# A character beyond U+FFFF: searching for one is five times quicker than max(text).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _may_hold_bad_characters(text: str) -> bool:
    if _ANY_BAD_BMP.search(text):
        return True
    return not text.isascii() and bool(_ASTRAL.search(text)) and bool(_NONCHARACTER.search(text))


@dataclass(frozen=True)
class Scalar:
    """A scalar value, always text."""

    text: str
    loc: Loc


@dataclass(frozen=True)
class Entry:
    """One key of a mapping, with the location of the key and its value."""

    key: str
    key_loc: Loc
    value: Node


@dataclass(frozen=True)
class Mapping:
    """A mapping in file order; keys are unique (the loader rejects duplicates)."""

    entries: tuple[Entry, ...]
    loc: Loc


@dataclass(frozen=True)
class Sequence:
    """A list of nodes."""

    items: tuple[Node, ...]
    loc: Loc


Node = Scalar | Mapping | Sequence


@dataclass(frozen=True)
class Document:
    """One sheet file, parsed: its kind (folder), path, file stem and top-level mapping."""

    kind: str
    path: str
    stem: str
    root: Mapping


def describe(node: Node) -> str:
    """Name a node's shape for messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


def loc_at(path: str, text: str, index: int) -> Loc:
    """The 1-based line and column of a character index in text."""
    line_start = text.rfind("\n", 0, index) + 1
    return Loc(path, text.count("\n", 0, index) + 1, index - line_start + 1)


def find_bad_characters(path: str, text: str, start: Loc | None = None) -> list[Problem]:
    """Problems for control, bidirectional, surrogate and noncharacter code points in text."""
    if not _may_hold_bad_characters(text):
        return []
    problems = []
    for pattern, what in (
        (_CONTROL, "control character"),
        (_INVISIBLE, "invisible or bidirectional control character"),
        (_SURROGATE, "lone surrogate"),
        (_NONCHARACTER, "Unicode noncharacter"),
    ):
        for match in pattern.finditer(text):
            loc = start or loc_at(path, text, match.start())
            code = f"U+{ord(match.group()):04X}"
            problems.append(Problem(loc, f"{what} {code} is not allowed; delete it"))
    return problems


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """Bytes -> text, strictly: size cap, UTF-8 only, no BOM, no hidden characters."""
    if len(data) > MAX_FILE_BYTES:
        message = (
            f"file is {len(data)} bytes, over the limit of {MAX_FILE_BYTES}; "
            "split it into smaller sheets"
        )
        return None, [Problem(Loc(path), message)]
    if data.startswith(b"\xef\xbb\xbf"):
        message = "file starts with a byte-order mark; save it as UTF-8 without BOM"
        return None, [Problem(Loc(path), message)]
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        head = data[: error.start].decode("utf-8", errors="replace")
        loc = loc_at(path, head, len(head))
        message = f"byte 0x{data[error.start]:02x} is not valid UTF-8; save the file as UTF-8"
        return None, [Problem(loc, message)]
    problems = find_bad_characters(path, text)
    return (None if problems else text), problems


_HINTS = (
    ("'\\t'", "indent with spaces, not tabs"),
    ("tab character", "indent with spaces, not tabs"),
    ("mapping values are not allowed", "put the value in quotes if it contains ': '"),
    ("could not find expected ':'", "write each field as 'key: value' and check the indentation"),
    ("end of stream", "a quote or bracket is opened and never closed"),
    ("did not find expected key", "check the indentation of this line against the one above"),
    ("expected <block end>", "check the indentation of this line against the one above"),
    ("did not find expected '-'", "check the indentation of this list item"),
    ("found unknown escape character", "in double quotes write a backslash as '\\\\'"),
    ("invalid Unicode character escape", "write the character itself instead of its escape"),
)


def _syntax_problem(path: str, text: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    loc = Loc(path, mark.line + 1, mark.column + 1) if mark is not None else Loc(path)
    problem = str(getattr(error, "problem", None) or error).strip()
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        problem = problem.replace("found character", "found character '\\t'")
    hint = next(
        (h for needle, h in _HINTS if needle in problem),
        "check the quoting and indentation here",
    )
    return Problem(loc, f"YAML syntax error: {problem} ({hint})")


class _TooDeep(Exception):
    """Raised inside the tree builder to stop at the first node nested too deep."""


_SCALAR = events.ScalarEvent
_SEQUENCE_END = events.SequenceEndEvent
_MAPPING_END = events.MappingEndEvent


class _TreeBuilder:
    """Builds located nodes from libyaml events, noting every forbidden construct.

    Hot loop: about 50 events per sheet. Events come straight from the C parser's get_event
    (yaml.parse wraps it in a generator that cost a third of the stage), and plain values
    skip the checks that cannot apply to them.
    """

    def __init__(self, path: str, next_event: Callable[[], events.Event]) -> None:
        self.path = path
        self.next_event = next_event
        self.problems: list[Problem] = []

    def loc(self, event: events.Event) -> Loc:
        mark = event.start_mark
        return Loc(self.path, mark.line + 1, mark.column + 1)

    def document(self) -> Node | None:
        self.next_event()  # StreamStartEvent
        first = self.next_event()
        if isinstance(first, events.StreamEndEvent):
            return None
        node = self.node(self.next_event(), depth=1)
        self.next_event()  # DocumentEndEvent
        extra = self.next_event()
        if isinstance(extra, events.DocumentStartEvent):
            message = "only one YAML document is allowed per file; remove the second '---'"
            self.problems.append(Problem(self.loc(extra), message))
        return node

    def node(self, event: events.Event, depth: int) -> Node:
        mark = event.start_mark
        loc = Loc(self.path, mark.line + 1, mark.column + 1)
        # Most events are plain scalars: skip the checks that cannot apply to them.
        if type(event) is _SCALAR and event.anchor is None and event.tag is None:
            return self.scalar(event, loc)
        if isinstance(event, events.AliasEvent):
            message = f"aliases ('*{event.anchor}') are not allowed; write the value out in full"
            self.problems.append(Problem(loc, message))
            return Scalar("", loc)
        if event.anchor is not None:
            message = f"anchors ('&{event.anchor}') are not allowed; remove it and repeat values"
            self.problems.append(Problem(loc, message))
        if event.tag is not None:
            message = (
                f"tags ('{event.tag}') are not allowed; remove it, all values are read as text"
            )
            self.problems.append(Problem(loc, message))
        if depth > MAX_DEPTH and not isinstance(event, events.ScalarEvent):
            message = f"nesting deeper than {MAX_DEPTH} levels; no field of a sheet goes this deep"
            self.problems.append(Problem(loc, message))
            # Stop reading: recursing into '[[[[...' would exhaust the stack, and libyaml's
            # time grows with the square of the depth (128,000 levels: about a minute).
            raise _TooDeep
        if isinstance(event, events.ScalarEvent):
            return self.scalar(event, loc)
        if isinstance(event, events.SequenceStartEvent):
            items = []
            next_event, node = self.next_event, self.node
            while type(item := next_event()) is not _SEQUENCE_END:
                items.append(node(item, depth + 1))
            return Sequence(tuple(items), loc)
        return self.mapping(loc, depth)

    def scalar(self, event: events.ScalarEvent, loc: Loc) -> Scalar:
        value = event.value
        if len(value) > MAX_VALUE_CHARS:
            message = (
                f"value is {len(value)} characters long, over the limit of {MAX_VALUE_CHARS}; "
                "shorten it"
            )
            self.problems.append(Problem(loc, message))
        # Only escapes in double-quoted values ("\x07", "\u202e", "\N") can produce what
        # decode() forbids: other values are made of characters of the text it checked.
        if event.style == '"':
            self.problems.extend(find_bad_characters(self.path, value, start=loc))
        return Scalar(value, loc)

    def mapping(self, loc: Loc, depth: int) -> Mapping:
        entries: list[Entry] = []
        seen: dict[str, Loc] = {}
        next_event, node = self.next_event, self.node
        while type(key_event := next_event()) is not _MAPPING_END:
            key_node = node(key_event, depth + 1)
            value = node(next_event(), depth + 1)
            if type(key_node) is not Scalar:
                message = f"a key must be plain text, not {describe(key_node)}"
                self.problems.append(Problem(key_node.loc, message))
                continue
            key = key_node.text
            if key == "<<":
                message = "merge keys ('<<') are not allowed; write the fields out in full"
                self.problems.append(Problem(key_node.loc, message))
                continue
            if key in seen:
                first = seen[key]
                message = (
                    f"duplicate key '{key}' (first at line {first.line}, col {first.col}); "
                    "keep one of them"
                )
                self.problems.append(Problem(key_node.loc, message))
                continue
            seen[key] = key_node.loc
            entries.append(Entry(key, key_node.loc, value))
        return Mapping(tuple(entries), loc)


def parse(path: str, text: str) -> tuple[Mapping | None, list[Problem]]:
    """Text of one sheet (as decode() returns it) -> its top-level mapping, or the problems."""
    # libyaml breaks lines at U+2028 and U+2029 where editors and diffs do not: every later
    # line number would be off by one, and a plain value would split in two.
    separators = [
        Problem(
            loc_at(path, text, match.start()),
            f"line separator U+{ord(match.group()):04X} is not allowed; use a plain line break",
        )
        for match in _SEPARATOR.finditer(text)
    ]
    if separators:
        return None, separators
    parser = yaml.CSafeLoader(text)
    builder = _TreeBuilder(path, parser.get_event)
    try:
        node = builder.document()
    except yaml.YAMLError as error:
        return None, [*builder.problems, _syntax_problem(path, text, error)]
    except _TooDeep:
        return None, builder.problems
    if node is None:
        message = "file is empty; a sheet is a mapping of fields that starts with 'id: ...'"
        return None, [Problem(Loc(path), message)]
    if not isinstance(node, Mapping):
        message = f"a sheet must be a mapping of fields ('key: value' lines), not {describe(node)}"
        return None, [*builder.problems, Problem(node.loc, message)]
    return node, builder.problems


def load_file(path: Path, shown_as: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """Read one sheet file strictly."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(Loc(shown_as), f"cannot read the file: {error.strerror}")]
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
    for parts, entry in sorted(_entries(content_dir, ()), key=_parts_of):
        shown = "/".join((base, *parts))
        if entry.is_symlink():
            problems.append(Problem(Loc(shown), link_message))
            continue
        suffix = PurePosixPath(entry.name).suffix
        if suffix not in (".yaml", ".yml") or not entry.is_file():
            continue
        if suffix == ".yml":
            message = f"sheets end in '.yaml'; rename it to '{PurePosixPath(entry.name).stem}.yaml'"
            problems.append(Problem(Loc(shown), message))
        elif len(parts) != 2 or parts[0] not in KINDS:
            message = f"sheets live in content/<kind>/, where kind is one of: {', '.join(KINDS)}"
            problems.append(Problem(Loc(shown), message))
        else:
            found.append((content_dir.joinpath(*parts), shown, parts[0]))
    return found, problems


FoundEntry = tuple[tuple[str, ...], "os.DirEntry[str]"]


def _entries(folder: Path, parts: tuple[str, ...]) -> Iterator[FoundEntry]:
    """Every file, folder and link under folder, with its path parts; links are not followed.

    os.scandir knows each entry's type from the directory listing, where pathlib's rglob
    and is_file asked the file system again for each file (0.1 s at 3,000 sheets).
    """
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except PermissionError:  # as rglob does: a folder it may not list is passed over
        return
    for entry in entries:
        yield (*parts, entry.name), entry
        if entry.is_dir(follow_symlinks=False):
            yield from _entries(folder / entry.name, (*parts, entry.name))


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
