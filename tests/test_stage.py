"""briefing stage: a folder any engine builds without the hook; and the engines that build it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefing.model.errors import StageError
from briefing.project import Project
from briefing.web.engines import (
    EngineMissing,
    build_properdocs,
    build_properdocs_hooked,
    build_zensical,
    find_executable,
    measure,
)
from briefing.web.postbuild import inspect_site
from briefing.web.stage import MARKER, nested_path, stage
from tests.helpers import ROOT, make_corpus

SHEET_PAGES = ("actors/china/index.md", "actors/russia/index.md", "sources/article/index.md")
SHEET_HTML = [page.removesuffix(".md") + ".html" for page in SHEET_PAGES]


def staged_corpus(tmp_path: Path) -> tuple[Project, Path]:
    project = make_corpus(tmp_path)
    folder = tmp_path / "staged"
    stage(project, folder)
    return project, folder


def test_stage_writes_every_sheet_and_a_config_without_hooks(tmp_path: Path) -> None:
    project, folder = staged_corpus(tmp_path)
    for page in SHEET_PAGES:
        assert (folder / "docs" / page).read_text(encoding="utf-8").startswith("---\n"), page
    # Hand-written pages are copied, and their links follow the pages staged as NAME/index.md.
    about = (folder / "docs/about.md").read_text(encoding="utf-8")
    assert "[legend](legend/index.md)" in about
    assert (folder / MARKER).is_file()
    config = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "watch" not in config
    assert config["docs_dir"] == "docs"
    assert config["theme"]["custom_dir"] == (project.root / "templates/theme").as_posix()
    assert config["plugins"] == ["search", "tags"]
    assert {"Timeline": "timeline/index.md"} in config["nav"]


def test_staged_folder_builds_with_plain_mkdocs(tmp_path: Path) -> None:
    _, folder = staged_corpus(tmp_path)
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "DISABLE_MKDOCS_2_WARNING": "true"},
    )
    assert result.returncode == 0, result.stderr
    for page in SHEET_HTML:
        assert (site / page).is_file(), page
    # The same inspection the normal build runs: no unknown script, no broken link.
    assert inspect_site(site, 1) == ([], [])


def test_stage_again_replaces_the_previous_stage(tmp_path: Path) -> None:
    project, folder = staged_corpus(tmp_path)
    (project.content / "actors/russia.yaml").unlink()
    (project.content / "actors/china.yaml").write_text(
        "id: china\nname: China\ntype: state\nsummary: A state.\n", encoding="utf-8"
    )
    stage(project, folder)
    assert not (folder / "docs/actors/russia/index.md").exists()
    assert (folder / "docs/actors/china/index.md").is_file()


def test_stage_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StageError) as raised:
        stage(project, folder)
    assert str(raised.value) == (
        f"{folder} is not empty and was not written by `briefing stage`; "
        "choose an empty or new folder"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_stage_refuses_a_hand_written_page_that_hides_a_generated_one(tmp_path: Path) -> None:
    project = make_corpus(tmp_path, {"docs/actors/china.md": "# China\n"})
    with pytest.raises(StageError) as raised:
        stage(project, tmp_path / "staged")
    assert (
        str(raised.value) == "docs/actors/china.md would hide a generated page; rename or remove it"
    )


def test_nested_path() -> None:
    assert nested_path("actors/china.md") == "actors/china/index.md"
    assert nested_path("timeline.md") == "timeline/index.md"
    assert nested_path("actors/index.md") == "actors/index.md"
    assert nested_path("index.md") == "index.md"


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_stage_and_refusal(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    folder = tmp_path / "staged"
    result = run_cli(project.root, "stage", str(folder))
    assert result.returncode == 0, result.stderr
    handwritten = len(list((ROOT / "docs").rglob("*.md")))
    assert result.stdout == (
        f"staged 12 generated and {handwritten} hand-written pages in {folder}; "
        f"build it with: mkdocs build -f {folder / 'mkdocs.yml'}\n"
    )
    refused = run_cli(project.root, "stage", str(project.root))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"{project.root} is not empty and was not written by `briefing stage`; "
        "choose an empty or new folder\n"
    )


def engine(name: str) -> Path:
    try:
        return find_executable(name, ROOT)
    except EngineMissing as missing:
        pytest.skip(str(missing))


def test_properdocs_builds_the_staged_folder(tmp_path: Path) -> None:
    engine("properdocs")
    _, folder = staged_corpus(tmp_path)
    built = build_properdocs(folder, tmp_path / "site", ROOT)
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    assert inspect_site(built.site, 1) == ([], [])
    assert measure(built.site).search_index == "search/search_index.json"


def test_properdocs_runs_the_hook_unchanged(tmp_path: Path) -> None:
    engine("properdocs")
    project = make_corpus(tmp_path)
    built = build_properdocs_hooked(project, tmp_path / "site", ROOT)
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    assert inspect_site(built.site, 1) == ([], [])


def test_zensical_builds_the_staged_folder(tmp_path: Path) -> None:
    engine("zensical")
    _, folder = staged_corpus(tmp_path)
    built = build_zensical(folder, tmp_path / "site", ROOT)
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    # Every link resolves; the safety scan knows only Material for MkDocs' own scripts, and
    # Zensical's theme writes others (docs/engines.md), so only links are asserted here.
    assert inspect_site(built.site, 1)[1] == []
    assert measure(built.site).search_index == "search.json"
