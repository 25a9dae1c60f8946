"""Stage 1, load: a sheet's bytes -> text, strictly, and the characters no sheet may hold.

Below the YAML reader (yamltree.py): decode() checks the whole file before parsing, and the
reader checks the values that escapes in double quotes can produce.
"""

from __future__ import annotations

import re

from briefing.model.errors import Loc, Problem

MAX_FILE_BYTES = 256 * 1024

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


def find_line_separators(path: str, text: str) -> list[Problem]:
    """Problems for U+2028 and U+2029, which libyaml reads as line breaks and editors do not."""
    return [
        Problem(
            loc_at(path, text, match.start()),
            f"line separator U+{ord(match.group()):04X} is not allowed; use a plain line break",
        )
        for match in _SEPARATOR.finditer(text)
    ]
