"""build.py: exit codes and what reaches stderr, as a user sees them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, make_corpus

BAD_SHEETS = {
    "duplicate key": (
        "id: iran\nname: Iran\nname: Persia\ntype: state\nsummary: s\n",
        "content/actors/iran.yaml:3:1: duplicate key 'name' (first at line 2, col 1); keep one of them",
    ),
    "unknown field": (
        "id: iran\nname: Iran\ntype: state\nsumary: s\nsummary: s\n",
        "content/actors/iran.yaml:4:1: unknown field 'sumary' in actor (did you mean 'summary'?)",
    ),
    "bad reference": (
        "id: iran\nname: Iran\ntype: state\nsummary: Ally of [[rusia]].\n",
        "content/actors/iran.yaml:4:10: unknown reference 'rusia' (did you mean 'russia'?)",
    ),
    "syntax error": (
        'id: iran\nname: Iran\ntype: state\nsummary: "unclosed\n',
        "content/actors/iran.yaml:5:1: YAML syntax error: found unexpected end of stream (a quote or bracket is opened and never closed)",
    ),
}


def run(project_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project_root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_passes_on_good_content(tmp_path: Path) -> None:
    result = run(make_corpus(tmp_path).root, "check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 3 sheets, 1 statement checked in ")
    assert result.stderr == ""


def test_bad_content_exits_1_with_located_messages_and_keeps_site(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    built = run(project.root, "build")
    assert built.returncode == 0, built.stderr
    index = (project.root / "site/index.html").read_bytes()
    for name, (sheet, expected) in BAD_SHEETS.items():
        (project.content / "actors/iran.yaml").write_text(sheet)
        for command in ("check", "build"):
            result = run(project.root, command)
            assert result.returncode == 1, (name, command)
            assert result.stderr.splitlines() == [expected, "1 problem found; nothing was built"], (
                name
            )
            assert "Traceback" not in result.stderr
        assert (project.root / "site/index.html").read_bytes() == index


def test_default_command_builds(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    result = run(project.root)
    assert result.returncode == 0, result.stderr
    assert (project.root / "site/actors/china/index.html").is_file()


def test_mkdocs_warning_fails_the_build_even_when_quiet(tmp_path: Path) -> None:
    project = make_corpus(tmp_path, {"docs/about.md": "# About\n\n[gone](nowhere.md)\n"})
    result = run(project.root, "build", "-q")
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr
    assert result.stderr.rstrip().endswith("the build failed; site/ was left as it was")
    assert not (project.root / "site").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "frobnicate")
    assert result.returncode == 2
    assert "invalid choice: 'frobnicate'" in result.stderr


# What only building needs: `briefing check` runs without loading any of it.
BUILD_ONLY = ("mkdocs", "material", "markdown", "jinja2", "weasyprint", "pikepdf", "pagefind")
LOADED = (
    "import sys; from briefing import cli; code = cli.main(sys.argv[1:]);"
    "print(sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr); sys.exit(code)"
)


@pytest.mark.parametrize("fmt", ["text", "github"])
@pytest.mark.parametrize("good", [True, False])
def test_check_loads_none_of_the_build_libraries(tmp_path: Path, fmt: str, good: bool) -> None:
    project = make_corpus(tmp_path)
    if not good:
        (project.content / "actors/iran.yaml").write_text(BAD_SHEETS["unknown field"][0])
    command = [sys.executable, "-c", LOADED, "--root", str(project.root), "check", "--format", fmt]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == (0 if good else 1), result.stderr
    loaded = result.stderr.splitlines()[-1]
    assert loaded.startswith("['"), result.stderr
    assert [name for name in BUILD_ONLY if f"'{name}'" in loaded] == []
    assert "'briefing'" in loaded  # the list is the check's own process's


def test_the_command_line_offers_every_engine_and_no_other() -> None:
    from briefing.web.engine_names import DEFAULT_ENGINE, ENGINE_NAMES
    from briefing.web.engines import ENGINES

    assert tuple(ENGINES) == ENGINE_NAMES
    assert ENGINE_NAMES[0] == DEFAULT_ENGINE


ENDING = (
    "import atexit, sys; from briefing.cli import exit_now;"
    "atexit.register(lambda: print('at exit', end='', file=sys.stderr));"
    "print('said before', end=''); exit_now(3)"
)


def test_the_process_ends_with_its_code_its_output_and_its_exit_functions() -> None:
    # exit_now skips freeing the objects, not what a normal exit does for the user.
    result = subprocess.run([sys.executable, "-c", ENDING], capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (3, "said before", "at exit")
