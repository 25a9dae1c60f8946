"""Characters no font can draw in a PDF, traced back to where content/ writes them.

Pango falls back through every font fontconfig knows; a character none of them has is drawn
as an empty box (.notdef), and WeasyPrint logs a warning that fails the PDF
(weasy.render_pdf). Typst draws the box and says nothing, so typeset.render_pdf looks for
such characters before layout (missing). The warning names the character, not the sheet
that holds it, so the failure says instead where each such character is written in content/,
line and column, and how to fix it. A character found nowhere there as written (a YAML
escape, a template) keeps WeasyPrint's own message, or gets a message of its own.
"""

from __future__ import annotations

import re

from briefing.project import Project

# WeasyPrint's warning for a missing glyph, as LogCollector keeps it.
_MISSING = re.compile(
    r'^warning: \.notdef glyph rendered for Unicode string unsupported by fonts: "(.)" '
    r"\(U\+[0-9A-F]{4,6}\)$",
    re.DOTALL,
)
FIX = (
    "write it another way, or install a font that has it (for Chinese, Japanese and Korean, "
    "Debian's fonts-noto-cjk)"
)


def failure(project: Project, name: str, messages: list[str]) -> str:
    """The message of the PDF name that failed on messages (WeasyPrint's warnings): each
    missing glyph's warning replaced by the places in content/ that write its character."""
    matches = [_MISSING.match(message) for message in messages]
    missing = dict.fromkeys(match.group(1) for match in matches if match)
    places = _written(project, missing) if missing else {}
    located = sorted(line for found in places.values() for line in found)
    rest = [
        message
        for message, match in zip(messages, matches, strict=True)
        if not (match and places.get(match.group(1)))
    ]
    return "\n".join([*located, *([f"{name}:", *rest] if rest else [])])


def missing(project: Project, name: str, characters: list[str]) -> str:
    """The message of the PDF name, which would draw characters as empty boxes: the places in
    content/ that write each one, or the character itself where no sheet writes it."""
    places = _written(project, dict.fromkeys(characters))
    located = sorted(line for found in places.values() for line in found)
    rest = [
        f'no font the PDFs can use has "{char}" (U+{ord(char):04X}), which would print as an '
        "empty box; " + FIX
        for char in characters
        if not places.get(char)
    ]
    return "\n".join([*located, *([f"{name}:", *rest] if rest else [])])


def _written(project: Project, characters: dict[str, None]) -> dict[str, list[str]]:
    """Character -> 'path:line:col: message' for each place a sheet file writes it."""
    found: dict[str, list[str]] = {char: [] for char in characters}
    for path in sorted(project.content.rglob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # the check read every sheet: not expected
            continue
        shown = path.relative_to(project.root).as_posix()
        for number, line in enumerate(text.splitlines(), 1):
            for column, char in enumerate(line, 1):
                if char in found:
                    found[char].append(
                        f"{shown}:{number}:{column}: no font the PDFs can use has "
                        f'"{char}" (U+{ord(char):04X}), which would print as an empty box; ' + FIX
                    )
    return found
