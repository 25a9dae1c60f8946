"""The benchmark: synthetic corpora of N sheets, each measured build in its own subprocess.

For every size: `check`; the generator stages alone (load, validate, link, verify, render);
the full site build (briefing.pipeline.build_site); the same pages built by a plain MkDocs +
Material configuration whose nav lists every page; the PDFs if the PDF stage exists. Times
are medians of --runs runs; peak memory is the measuring subprocess's ru_maxrss.

Run a measurement alone: python -m briefing.bench.run MODE PROJECT_ROOT (prints one JSON line).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.bench import synthetic
from briefing.model.errors import BriefingError
from briefing.present.places import DEFAULT_PRINT_ENGINE
from briefing.project import Project

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = (100, 300, 1000, 3000)
MODES = ("check", "stages", "site", "plain", "pdf", "build")
STAGES = ("load", "validate", "link", "verify", "render")


@dataclass(frozen=True)
class Options:
    """What to measure: sizes, runs, seed; the largest sizes for the plain build and PDFs."""

    sizes: tuple[int, ...] = DEFAULT_SIZES
    runs: int = 3
    seed: int = 0
    # The plain build is quadratic (45 ms a page at 3,000) and the PDFs include a book of
    # the whole corpus: above these sizes they are skipped, to keep a run within minutes.
    plain_max: int = 1000
    pdf_max: int = 100
    keep: Path | None = None


# Folders a project may have beside content/ that its mkdocs.yml refers to by relative path.
PROJECT_FOLDERS = ("templates", "docs", "overrides")


def make_project(root: Path, content: Path | None = None) -> Project:
    """A project in root with this checkout's mkdocs.yml, templates and docs (and content)."""
    root.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Hooks are found by absolute path; the package folder is not there to watch.
    config = re.sub(
        r"^(\s*-\s+)(briefing/\S+\.py)\s*$",
        lambda match: match.group(1) + (ROOT / match.group(2)).as_posix(),
        config,
        flags=re.MULTILINE,
    ).replace("  - briefing\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in PROJECT_FOLDERS:
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, root / folder, dirs_exist_ok=True)
    if content is not None:
        shutil.copytree(content, root / "content", dirs_exist_ok=True)
    return Project(root)


def _full_nav(nav: list[Any], pages: dict[str, str]) -> list[Any]:
    """nav with every section index page ('actors/index.md') followed by all its pages."""
    listed: list[Any] = []
    for entry in nav:
        title, target = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
        folder = target.removesuffix("/index.md") if isinstance(target, str) else ""
        if not folder or "/" in folder or f"{folder}/index.md" not in pages:
            listed.append(entry)
            continue
        children = sorted(p for p in pages if p.startswith(f"{folder}/") and p != target)
        listed.append({title or folder: [target, *children]})
    return listed


def write_plain(project: Project, pages: dict[str, str]) -> Path:
    """The plain configuration: pages written to a docs folder, same config, a full nav."""
    docs = project.root / "plain-docs"
    shutil.copytree(project.root / "docs", docs, dirs_exist_ok=True)
    for path, markdown in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(markdown, encoding="utf-8")
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    nav = _full_nav(config.get("nav") or [], pages)
    unlisted = sorted(set(pages) - set(_nav_paths(nav)))
    config["nav"] = [*nav, {"More": unlisted}] if unlisted else nav
    config["docs_dir"] = docs.name
    config_file = project.root / "mkdocs-plain.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    return [p for item in nav for p in _nav_paths(item)] if isinstance(nav, list) else []


def _mkdocs(config_file: Path, site_dir: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def measure(mode: str, root: Path, engine: str = DEFAULT_PRINT_ENGINE) -> dict[str, Any]:
    """One measurement of mode on the project in root, in this process; engine lays out the
    PDFs (modes pdf and build)."""
    import logging

    from briefing.check.checker import check, collector_paused
    from briefing.check.link import link
    from briefing.check.load import load_corpus
    from briefing.check.validate import validate
    from briefing.check.verify import Checked, verify
    from briefing.forked import usable_cores
    from briefing.web.render import render_pages

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = Project(root)
    result: dict[str, Any] = {}
    cpu = _cpu_seconds()
    started = time.perf_counter()
    if mode == "check":
        check(project, usable_cores())  # as build.py check runs it
    elif mode == "stages":
        # CPU time includes reaped children: render's forked workers are reaped when it ends.
        marks = [(time.perf_counter(), _cpu_seconds())]
        result["stages"], result["stages_cpu"] = {}, {}

        def lap(stage: str) -> None:
            marks.append((time.perf_counter(), _cpu_seconds()))
            (wall, cpu), (wall_end, cpu_end) = marks[-2:]
            result["stages"][stage], result["stages_cpu"][stage] = wall_end - wall, cpu_end - cpu

        with collector_paused():  # as pipeline.check runs them
            documents, _ = load_corpus(project.root, project.content)
            lap("load")
            sheets, _ = validate(documents)
            lap("validate")
            corpus, _ = link(sheets, unchecked=(p.stem for p in project.content.glob("*/*.yaml")))
            lap("link")
            texts, _ = verify(project.root, corpus)
            lap("verify")
            # As in pipeline.check, the YAML trees are gone by the time pages are rendered.
            del documents, sheets
        render_pages(project.templates, Checked(corpus, texts), workers=usable_cores())  # as built
        lap("render")
        # All five again, as a build runs them: load and validate fused and shared among
        # processes (see pipeline.check), so their laps above, taken one at a time in this
        # process, do not add up to this.
        wall, cpu_start = time.perf_counter(), _cpu_seconds()
        checked = check(project, usable_cores())
        render_pages(project.templates, checked, workers=usable_cores())
        result["together"] = time.perf_counter() - wall
        result["together_cpu"] = _cpu_seconds() - cpu_start
    elif mode == "site":
        from briefing.pipeline import build_site

        build_site(project, root / "site")
    elif mode == "plain":
        _mkdocs(root / "mkdocs-plain.yml", root / "plain-site")
    elif mode == "pdf":
        from briefing.pdf.layout import build_pdf_dir

        # As `briefing pdf` calls it; cold unless BRIEFING_CACHE names a cache to use.
        build_pdf_dir(project, check(project), root / "pdf", engine=engine)
    elif mode == "build":  # what `briefing build` (make site) runs: site and PDFs
        from briefing.pipeline import PdfOptions, build_site

        build_site(project, root / "site", PdfOptions(engine=engine))
    else:
        raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    result["seconds"] = time.perf_counter() - started
    result["cpu"] = _cpu_seconds() - cpu
    # ru_maxrss is in KiB on Linux; worker processes (PDFs) count as children once reaped.
    peak = max(resource.getrusage(who).ru_maxrss for who in _WHO)
    result["peak_mib"] = peak / 1024
    return result


_WHO = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)


def _cpu_seconds() -> float:
    """CPU time of this process and its reaped children: less disturbed by a busy machine."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, _WHO))


def run_child(
    mode: str, root: Path, cache: Path | None = None, engine: str = DEFAULT_PRINT_ENGINE
) -> dict[str, Any]:
    """Measure mode in a fresh Python process; add its wall time (start-up included).

    cache: the PDF cache folder to use; None measures a cold build (no PDF cache).
    """
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "briefing.bench.run", mode, str(root), engine],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BRIEFING_CACHE": str(cache or "off")},
    )
    if done.returncode != 0:
        raise BriefingError(f"bench {mode} on {root} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def site_size(site: Path) -> tuple[int, int]:
    """HTML pages in a built site and their total bytes (search index and assets apart)."""
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return len(pages), sum(p.stat().st_size for p in pages)


def bench_size(n: int, options: Options, work: Path) -> dict[str, Any]:
    """Every measurement for a corpus of n sheets; medians over options.runs."""
    from briefing.web.render import render_site_pages

    project = make_project(work / f"n{n}")
    stats = synthetic.generate(project.content, n, options.seed)
    row: dict[str, Any] = {"sheets": n, "statements": stats.statements, "yaml_bytes": stats.bytes}
    runs = range(options.runs)

    def median_of(mode: str) -> dict[str, Any]:
        results = [run_child(mode, project.root) for _ in runs]
        merged: dict[str, Any] = {
            "seconds": _median(r["seconds"] for r in results),
            "cpu": _median(r.get("cpu") for r in results),
            "wall": _median(r["wall"] for r in results),
            "peak_mib": max(r.get("peak_mib", 0.0) for r in results),
        }
        for key in ("stages", "stages_cpu") if mode == "stages" else ():
            merged[key] = {s: _median(r[key][s] for r in results) for s in STAGES}
        for key in ("together", "together_cpu") if mode == "stages" else ():
            merged[key] = _median(r[key] for r in results)
        return merged

    row["check"] = median_of("check")
    row["stages"] = median_of("stages")
    row["site"] = median_of("site")
    row["site"]["pages"], row["site"]["html_bytes"] = site_size(project.root / "site")
    search = project.root / "site" / "search" / "search_index.json"
    row["site"]["search_bytes"] = search.stat().st_size if search.exists() else 0
    if n <= options.plain_max:
        write_plain(project, render_site_pages(project))
        row["plain"] = median_of("plain")
        row["plain"]["pages"], row["plain"]["html_bytes"] = site_size(project.root / "plain-site")
    row["pdf"] = median_of("pdf") if n <= options.pdf_max else {"skipped": True}
    return row


def run(options: Options, progress: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Measure every size in options; returns one row per size."""
    rows = []
    work = options.keep or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        for n in options.sizes:
            started = time.perf_counter()
            rows.append(bench_size(n, options, work))
            progress(f"measured {n} sheets in {time.perf_counter() - started:.0f} s")
    finally:
        if options.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str]) -> int:
    """Child entry: measure one mode (MODE ROOT [PRINT-ENGINE]), print it as one JSON line."""
    mode, root, *engine = argv
    print(json.dumps(measure(mode, Path(root), *engine)))
    return 0


if __name__ == "__main__":
    from briefing.cli import exit_now

    code = main(sys.argv[1:])
    if sys.argv[1] == "plain":  # `mkdocs build`: its process ends as Python's do
        sys.exit(code)
    exit_now(code)  # as `briefing` ends (briefing.cli.run)
