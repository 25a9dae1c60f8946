"""briefing stage: a folder any engine builds without the hook; and `briefing build --engine`
with each engine (requirements.txt installs ProperDocs and Zensical, so none is skipped)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from briefing.model.errors import SiteBuildError, StageError
from briefing.pipeline import build_site
from briefing.project import Project
from briefing.web.engines import (
    ENGINES,
    build_properdocs,
    build_properdocs_hooked,
    build_zensical,
    find_executable,
    measure,
)
from briefing.web.postbuild import inspect_site
from briefing.web.stage import MARKER, nested_path, stage
from tests.helpers import ROOT, indexed_page_count, make_corpus

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
    assert config["plugins"] == ["tags"]  # search is Pagefind's, run after the engine
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
        f"staged 13 generated and {handwritten} hand-written pages in {folder}; "
        f"build it with: mkdocs build -f {folder / 'mkdocs.yml'}\n"
    )
    refused = run_cli(project.root, "stage", str(project.root))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"{project.root} is not empty and was not written by `briefing stage`; "
        "choose an empty or new folder\n"
    )


DATA_FILES = ("data/annotations.jsonld", "data/facts.json", "data/facts.schema.json")


def assert_data_published(site: Path) -> None:
    """The data files are in the site, and a sheet page with statements embeds its block."""
    for name in DATA_FILES:
        assert json.loads((site / name).read_text(encoding="utf-8")), name
    page = (site / "actors/china/index.html").read_text(encoding="utf-8")
    assert page.count('<script type="application/ld+json">') == 1


@pytest.mark.parametrize("name", list(ENGINES))
def test_build_with_each_engine_passes_the_inspection(tmp_path: Path, name: str) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "site"
    # build_site publishes only a site that passed the scan and the link check.
    built = build_site(project, site, engine=name)
    assert (built.sheets, built.pdfs) == (3, 0)
    for page in SHEET_HTML:
        assert (site / page).is_file(), page
        # Every engine's pages carry what Pagefind indexes: the theme's overrides apply.
        assert "data-pagefind-body" in (site / page).read_text(encoding="utf-8"), page
    # Pagefind indexed the reader pages of every engine's site, and nothing else.
    reader_pages = [
        p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")
    ]
    assert indexed_page_count(site) == len(reader_pages)
    assert measure(site).search_index == "pagefind/"
    assert_data_published(site)
    # Nothing staged beside the site is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "site"]


def test_an_engine_that_fails_leaves_the_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_ZENSICAL", str(tmp_path / "missing"))
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("sys.executable", str(tmp_path / "bin/python"))
    with pytest.raises(SiteBuildError) as raised:
        build_site(project, site, engine="zensical")
    assert str(raised.value) == (
        "error: zensical is not installed: run `make` (requirements.txt installs it), "
        "or set BRIEFING_ZENSICAL to its command"
    )
    assert sorted(p.name for p in site.iterdir()) == ["old.html"]


def test_cli_build_with_zensical_builds_pdfs_and_passes_the_inspection(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "site"
    result = run_cli(project.root, "build", "--engine", "zensical", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"built {site} from 3 sheets in ")
    assert (site / "actors/china/index.html").is_file()
    assert (site / "pagefind/pagefind.js").is_file()
    assert sorted(p.relative_to(site).as_posix() for p in (site / "pdf").rglob("*.pdf"))
    assert inspect_site(site, 1) == ([], [])


def test_cli_refuses_an_unknown_engine(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "build", "--engine", "hugo")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "build.py build: error: argument --engine: invalid choice: 'hugo' "
        "(choose from 'mkdocs', 'properdocs', 'zensical')"
    )


def test_engines_are_installed_beside_this_python() -> None:
    for name in ("properdocs", "zensical"):
        assert find_executable(name).parent == Path(sys.executable).parent, name


def test_properdocs_builds_the_staged_folder(tmp_path: Path) -> None:
    _, folder = staged_corpus(tmp_path)
    built = build_properdocs(folder, tmp_path / "site")
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    assert inspect_site(built.site, 1) == ([], [])
    # No search plugin: readers' search is Pagefind's, which build_site adds after the engine.
    assert measure(built.site).search_index == ""


def test_properdocs_runs_the_hook_unchanged(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    built = build_properdocs_hooked(project, tmp_path / "site")
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    assert inspect_site(built.site, 1) == ([], [])
    assert_data_published(built.site)  # the hook (as for serve) publishes them too


def test_zensical_builds_the_staged_folder(tmp_path: Path) -> None:
    _, folder = staged_corpus(tmp_path)
    built = build_zensical(folder, tmp_path / "site")
    for page in SHEET_HTML:
        assert (built.site / page).is_file(), page
    # The same inspection as MkDocs' sites: the scan knows Zensical's theme scripts too.
    assert inspect_site(built.site, 1) == ([], [])
    assert measure(built.site).search_index == "search.json"
    assert_data_published(built.site)  # staged into docs/, copied by the engine
