"""briefing's own templates are compiled once for later builds and processes
(briefing.present.bytecode), and never served compiled from another source or settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from briefing.present import jinja as present_jinja
from briefing.present.bytecode import settings_of
from briefing.present.jinja import environment, render_template
from tests.helpers import ROOT, counting_compiles


@pytest.fixture
def kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bytecode folder, in tmp (not the Python environment's), and a new process each
    time the memory of the caches is emptied."""
    folder = tmp_path / "bytecode"
    monkeypatch.setattr(present_jinja, "bytecode_folder", lambda settings: folder)
    monkeypatch.setattr(present_jinja, "_BYTECODE", {})
    return folder


def _rendered(templates: Path) -> tuple[str, int]:
    """Render page.j2 in a new process's environment: the text, and the templates compiled."""
    present_jinja._BYTECODE.clear()  # what a new process starts with
    env = environment(templates)
    compiled = counting_compiles(env)
    return render_template(env, "page.j2", {"name": "x"}), compiled[0]


def _templates(folder: Path, source: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.j2").write_text(source, encoding="utf-8")
    return folder


def test_a_later_process_compiles_nothing_and_an_edit_is_compiled_again(
    tmp_path: Path, kept: Path
) -> None:
    templates = _templates(tmp_path / "t", "<p>{{ name }}</p>\n")
    assert _rendered(templates) == ("<p>x</p>\n", 1)
    assert _rendered(templates) == ("<p>x</p>\n", 0)
    _templates(templates, "<p>{{ name }}!</p>\n")
    assert _rendered(templates) == ("<p>x!</p>\n", 1)
    assert _rendered(templates) == ("<p>x!</p>\n", 0)


def test_two_projects_with_a_template_of_one_name_each_get_their_own(
    tmp_path: Path, kept: Path
) -> None:
    one = _templates(tmp_path / "one", "<p>one {{ name }}</p>\n")
    two = _templates(tmp_path / "two", "<p>two {{ name }}</p>\n")
    assert _rendered(one) == ("<p>one x</p>\n", 1)
    assert _rendered(two) == ("<p>two x</p>\n", 1)
    assert _rendered(one) == ("<p>one x</p>\n", 1)  # one file per name: compiled again
    assert len(list(kept.iterdir())) == 1


def test_the_settings_are_the_same_in_every_process_and_name_what_shapes_the_code() -> None:
    here = settings_of(environment(ROOT / "templates"))
    script = (
        "from briefing.present.jinja import environment; "
        "from briefing.present.bytecode import settings_of; from pathlib import Path; "
        f"print(settings_of(environment(Path({str(ROOT / 'templates')!r}))), end='')"
    )
    other = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert other == here and "0x" not in here
    env = environment(ROOT / "templates")
    env.trim_blocks = False
    assert settings_of(env) != here
    assert settings_of(jinja2.Environment()) != here


def test_the_folder_is_in_the_python_environment_under_the_settings() -> None:
    env = environment(ROOT / "templates")
    folder = env.bytecode_cache.folder  # type: ignore[union-attr]
    assert folder is not None and Path(sys.prefix) in folder.parents
    assert f"jinja2-{jinja2.__version__}" in folder.name
