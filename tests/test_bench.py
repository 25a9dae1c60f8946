"""The benchmark and its synthetic corpora; the performance fixes keep their output."""

from __future__ import annotations

import hashlib
import json
import posixpath
import random
import re
import subprocess
import sys
from pathlib import Path
from types import MappingProxyType

import markdown
import pytest
import yaml

from briefing.bench import run as bench
from briefing.bench import synthetic
from briefing.check.checker import check
from briefing.check.link import Corpus
from briefing.present.links import SiteLinker, relative_path
from briefing.project import Project
from briefing.web.render import render_site_pages
from briefing.web.speedups import MARK, GeneratedHtmlExtension, anchor_ids
from tests.helpers import ROOT


def corpus(tmp_path: Path, n: int, seed: int = 0) -> Project:
    project = bench.make_project(tmp_path / f"n{n}-{seed}")
    synthetic.generate(project.content, n, seed)
    return project


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hashed.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


@pytest.mark.parametrize("n", [synthetic.MIN_SHEETS, 150])
def test_synthetic_corpus_passes_check(tmp_path: Path, n: int) -> None:
    checked = check(corpus(tmp_path, n))
    sheets = checked.corpus.sheets
    assert len(sheets) == n
    assert {s.kind for s in sheets} == {"source", "actor", "relation", "event", "briefing"}
    assert any(checked.corpus.backlinks.values())


def test_synthetic_corpus_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = digest(corpus(tmp_path / "a", 60, seed=7).content)
    assert digest(corpus(tmp_path / "b", 60, seed=7).content) == first
    assert digest(corpus(tmp_path / "c", 60, seed=8).content) != first


def test_too_small_a_corpus_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 20 sheets"):
        synthetic.counts(19)


def test_bench_smoke_small_configuration(tmp_path: Path) -> None:
    """N = 100, one run, through the CLI: every column measured, no timing asserted."""
    out = tmp_path / "bench.json"
    options = ["--sizes", "100", "--runs", "1", "--plain-max", "100", "--pdf-max", "0"]
    options += ["--json", str(out)]
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "bench", *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("| sheets | check s |")
    assert lines[2].startswith("| 100 | ")
    assert lines[2].count("skipped") <= 1  # only the PDFs, with --pdf-max 0
    (row,) = json.loads(out.read_text())
    assert row["sheets"] == 100
    assert row["site"]["pages"] > 100
    assert row["plain"]["pages"] == row["site"]["pages"]
    assert row["site"]["peak_mib"] > 0
    assert row["site"]["cpu"] > 0
    assert set(row["stages"]["stages"]) == set(row["stages"]["stages_cpu"]) == set(bench.STAGES)
    assert any(line.startswith("- check at 1,000 sheets") for line in lines)


def _markdown_config() -> tuple[list[object], dict[str, dict[str, object]]]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[object] = ["toc", "tables", "fenced_code"]
    options: dict[str, dict[str, object]] = {}
    for entry in config["markdown_extensions"]:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        options[name] = settings or {}
    return names, options


def test_stashed_html_equals_markdown_html(tmp_path: Path) -> None:
    """Generated pages give the same HTML with the stash as through Markdown's HTML parser."""
    names, options = _markdown_config()
    pages = render_site_pages(corpus(tmp_path, 100))
    pages.update(render_site_pages(bench.make_project(tmp_path / "seed", ROOT / "content")))
    for path, page in pages.items():
        body = page.split("---\n", 2)[2] if page.startswith("---\n") else page
        plain = markdown.Markdown(extensions=names, extension_configs=options).convert(body)
        fast = markdown.Markdown(
            extensions=[*names, GeneratedHtmlExtension()], extension_configs=options
        ).convert(f"{MARK}\n{body}")
        assert re.sub(r">\s+<", "><", fast) == re.sub(r">\s+<", "><", plain), path
        assert anchor_ids(fast) >= set(re.findall(r'\sid="([^"]*)"', plain)), path


def test_relative_path_matches_posixpath_relpath() -> None:
    parts = ["actors", "china", "russia", "events", "index", "."]
    rng = random.Random(0)
    for _ in range(20_000):
        path, start = (
            "/".join(rng.choice(parts) for _ in range(rng.randint(0, 3))) + rng.choice(["", "/"])
            for _ in range(2)
        )
        path, start = path.lstrip("/"), start.lstrip("/")
        assert relative_path(path, start) == posixpath.relpath(path or ".", start or "."), (
            path,
            start,
        )


def test_linker_urls_match_relative_path() -> None:
    """The prefix shortcut Linker takes for page URLs gives relative_path's answer."""
    parts = ["actors", "china", "events", "e.1", "x", ".", ""]
    rng = random.Random(1)
    corpus = Corpus((), MappingProxyType({}), MappingProxyType({}))
    for _ in range(20_000):
        page = "/".join(rng.choice(parts[:-2]) for _ in range(rng.randint(0, 3)))
        linker = SiteLinker(corpus, f"{page}/index.md" if page else "index.md")
        path = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 3)))
        path += rng.choice(["", "/"]) if path else ""
        anchor = rng.choice(["", "#s1"])
        if path == linker.here:
            expected = "" if anchor else "./"
        else:
            expected = relative_path(path, linker.here) + "/"
        assert linker.url(path + anchor) == expected + anchor, (page, path, anchor)


def test_fold_stacks_counts_samples_inclusive_and_own() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from fold_stacks import summarise
    finally:
        sys.path.remove(str(ROOT / "bench"))
    lines = [
        "<module> (/x/run.py:3);render_pages (/x/briefing/web/render.py:9);escape (/v/markupsafe/__init__.py:40) 3",
        "<module> (/x/run.py:3);render_pages (/x/briefing/web/render.py:12) 1",
        "<module> (/x/run.py:3);check (/x/briefing/check/checker.py:5) 6",
        "not a sample line",
    ]
    total, inclusive, own = summarise(lines, "render_pages")
    assert total == 4
    assert inclusive["render_pages (briefing/web/render.py)"] == 4
    assert own == {"escape (markupsafe/__init__.py)": 3, "render_pages (briefing/web/render.py)": 1}
    assert summarise(lines, None)[0] == 10


def test_the_live_preview_benchmark_can_serve_a_synthetic_corpus(tmp_path: Path) -> None:
    from briefing.bench.serve import _edit_summary, serve_project

    root, sheet = serve_project(tmp_path / "synthetic", sheets=40)
    assert sheet.parent == root / "content" / "actors"
    _edit_summary(sheet, "Edited for the benchmark.")
    assert 'summary: "Edited for the benchmark."' in sheet.read_text(encoding="utf-8")
    check(Project(root))  # still a valid corpus
    _, seed_sheet = serve_project(tmp_path / "seed")
    assert seed_sheet.read_bytes() == (ROOT / "content/actors" / seed_sheet.name).read_bytes()
