"""Stage 1, load: the text of one sheet -> a located YAML tree, strictly.

PyYAML's own loaders type scalars implicitly (``NO`` becomes False, ``0755`` becomes 493),
let the last of two duplicate keys win and expand aliases.  This stage reads the event
stream of libyaml's C parser instead and builds its own tree, so that every scalar stays
text (the validate stage types it) and every key and item keeps its line and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events

from briefing.check.characters import find_bad_characters, find_line_separators
from briefing.model.errors import Loc, Problem

MAX_VALUE_CHARS = 20_000
# The deepest sheet is sheet > statements > statement > figures > figure > value (6).
MAX_DEPTH = 6


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


def describe(node: Node) -> str:
    """Name a node's shape for messages."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    return "text"


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

    # libyaml's events are told apart by type, and only some kinds carry an anchor or a tag;
    # the stubs' Event has neither, so events are typed Any here (checked by type below).
    def __init__(self, path: str, next_event: Callable[[], Any]) -> None:
        self.path = path
        self.next_event = next_event
        self.problems: list[Problem] = []

    def loc(self, event: Any) -> Loc:
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

    def node(self, event: Any, depth: int) -> Node:
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
    separators = find_line_separators(path, text)
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
