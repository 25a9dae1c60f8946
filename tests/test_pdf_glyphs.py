"""A character no font can draw fails its PDF, and the failure says where content/ writes it
(briefing/pdf/glyphs.py), not only which PDF it broke."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.pdf import glyphs
from briefing.present.places import PRINT_ENGINES
from briefing.project import Project
from tests.helpers import ROOT, make_corpus
from tests.small_corpus import EXTRA

# Unassigned in Unicode: no font maps it, whatever fonts a machine has installed.
NO_GLYPH = "\u0378"


def warning(char: str) -> str:
    """WeasyPrint's warning for a missing glyph, as the build collects it."""
    return (
        "warning: .notdef glyph rendered for Unicode string unsupported by fonts: "
        f'"{char}" (U+{ord(char):04X})'
    )


def placed(path: str, line: int, column: int, char: str) -> str:
    return (
        f"{path}:{line}:{column}: no font the PDFs can use has "
        f'"{char}" (U+{ord(char):04X}), which would print as an empty box; {glyphs.FIX}'
    )


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The small corpus, its briefing's title ending in a character no font has."""
    project = make_corpus(tmp_path, EXTRA)
    brief = project.content / "briefings" / "brief.yaml"
    brief.write_text(
        brief.read_text(encoding="utf-8").replace(
            "title: The brief", f"title: The brief {NO_GLYPH}{NO_GLYPH}"
        ),
        encoding="utf-8",
    )
    return project


@pytest.mark.parametrize("engine", PRINT_ENGINES)
def test_the_build_names_each_place_the_character_is_written(project: Project, engine: str) -> None:
    # WeasyPrint warns of the missing glyph; Typst would not, so the text is checked first.
    failed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "build.py"),
            "--root",
            str(project.root),
            "build",
            "--print-engine",
            engine,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert failed.returncode == 1
    where = "content/briefings/brief.yaml"
    assert failed.stderr == (
        f"{placed(where, 2, 18, NO_GLYPH)}\n{placed(where, 2, 19, NO_GLYPH)}\n"
        "the build failed; site/ was left as it was\n"
    )


@pytest.mark.parametrize(
    "messages, expected",
    [
        # Written in content/: the places replace the warning.
        (
            [warning(NO_GLYPH)],
            [
                placed("content/briefings/brief.yaml", 2, 18, NO_GLYPH),
                placed("content/briefings/brief.yaml", 2, 19, NO_GLYPH),
            ],
        ),
        # Written nowhere in content/ (a YAML escape, a template): WeasyPrint's own words.
        ([warning("\ue000")], ["pdf/x.pdf:", warning("\ue000")]),
        # Other warnings still fail the PDF, under its name.
        (
            [warning(NO_GLYPH), "warning: frobnicate"],
            [
                placed("content/briefings/brief.yaml", 2, 18, NO_GLYPH),
                placed("content/briefings/brief.yaml", 2, 19, NO_GLYPH),
                "pdf/x.pdf:",
                "warning: frobnicate",
            ],
        ),
    ],
    ids=["placed", "not in content", "with another warning"],
)
def test_a_failure_message(project: Project, messages: list[str], expected: list[str]) -> None:
    assert glyphs.failure(project, "pdf/x.pdf", messages).split("\n") == expected


def test_a_character_written_nowhere_in_content_is_named_with_its_pdf(project: Project) -> None:
    assert glyphs.missing(project, "pdf/x.pdf", ["\ue000", NO_GLYPH]).split("\n") == [
        placed("content/briefings/brief.yaml", 2, 18, NO_GLYPH),
        placed("content/briefings/brief.yaml", 2, 19, NO_GLYPH),
        "pdf/x.pdf:",
        'no font the PDFs can use has "\ue000" (U+E000), which would print as an empty box; '
        + glyphs.FIX,
    ]
