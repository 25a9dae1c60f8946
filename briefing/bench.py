"""The benchmark: synthetic corpora of N sheets, each measured build in its own subprocess.

For every size: `check`; the generator stages alone (load, validate, link, verify, render);
the full site build (briefing.site.build_site); the same pages built by a plain MkDocs +
Material configuration whose nav lists every page; the PDFs if the PDF stage exists. Times
are medians of --runs runs; peak memory is the measuring subprocess's ru_maxrss.

Run a measurement alone: python -m briefing.bench MODE PROJECT_ROOT (prints one JSON line).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing import synthetic
from briefing.pipeline import Project

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (100, 300, 1000, 3000)
# Where the PDF stage plugs in: module and function, called as build_pdfs(project, out_dir).
# Until that module exists (it is written on another branch) the PDF column reads "n/a".
PDF_ENTRY = ("briefing.pdf", "build_pdfs")
MODES = ("check", "stages", "site", "plain", "pdf")
STAGES = ("load", "validate", "link", "verify", "render")


@dataclass(frozen=True)
class Options:
    """What to measure: sizes, repetitions, the seed, and sizes above which plain is skipped."""

    sizes: tuple[int, ...] = DEFAULT_SIZES
    runs: int = 3
    seed: int = 0
    plain_max: int = 1000
    keep: Path | None = None


def make_project(root: Path, content: Path | None = None) -> Project:
    """A project in root with this checkout's mkdocs.yml, templates and docs (and content)."""
    root.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    hook = (ROOT / "briefing" / "mkdocs_hook.py").as_posix()
    # The hook is found by absolute path; the package folder is not there to watch.
    config = config.replace("briefing/mkdocs_hook.py", hook).replace("  - briefing\n", "")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "templates", root / "templates", dirs_exist_ok=True)
    shutil.copytree(ROOT / "docs", root / "docs", dirs_exist_ok=True)
    if content is not None:
        shutil.copytree(content, root / "content", dirs_exist_ok=True)
    return Project(root)


def write_plain(project: Project, pages: dict[str, str]) -> Path:
    """The plain configuration: pages written to docs/, the same config with a full nav."""
    plain = project.root / "plain"
    shutil.copytree(project.root / "docs", plain / "docs", dirs_exist_ok=True)
    for path, markdown in pages.items():
        (plain / "docs" / path).parent.mkdir(parents=True, exist_ok=True)
        (plain / "docs" / path).write_text(markdown, encoding="utf-8")
    config = yaml.safe_load((project.root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config.pop("watch", None)
    sections: list[Any] = [{"Home": "index.md"}]
    for entry in config["nav"][1:]:
        ((title, index),) = entry.items()
        folder = index.rpartition("/")[0]
        children = sorted(p for p in pages if folder and p.startswith(f"{folder}/"))
        if not folder:
            sections.append(entry)
            continue
        sections.append({title: [index, *(p for p in children if p != index)]})
    config["nav"] = sections
    config["docs_dir"] = "docs"
    (plain / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return plain


def _mkdocs(config_file: Path, site_dir: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def pdf_entry() -> Callable[[Project, Path], object] | None:
    """The PDF stage's entry point, or None while it does not exist."""
    module_name, function = PDF_ENTRY
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


def measure(mode: str, root: Path) -> dict[str, Any]:
    """One measurement of mode on the project in root, in this process."""
    import logging

    from briefing.link import link
    from briefing.load import load_corpus
    from briefing.pipeline import check
    from briefing.render import render_pages
    from briefing.validate import validate
    from briefing.verify import Checked, verify

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    project = Project(root)
    result: dict[str, Any] = {}
    started = time.perf_counter()
    if mode == "check":
        check(project)
    elif mode == "stages":
        clock = time.perf_counter()
        times = {}
        documents, _ = load_corpus(project.root, project.content)
        times["load"], clock = time.perf_counter() - clock, time.perf_counter()
        sheets, _ = validate(documents)
        times["validate"], clock = time.perf_counter() - clock, time.perf_counter()
        corpus, _ = link(sheets, unchecked=(p.stem for p in project.content.glob("*/*.yaml")))
        times["link"], clock = time.perf_counter() - clock, time.perf_counter()
        texts, _ = verify(project.root, corpus)
        times["verify"], clock = time.perf_counter() - clock, time.perf_counter()
        render_pages(project.templates, Checked(corpus, texts))
        times["render"] = time.perf_counter() - clock
        result["stages"] = times
    elif mode == "site":
        from briefing.site import build_site

        build_site(project, root / "site")
    elif mode == "plain":
        _mkdocs(root / "plain" / "mkdocs.yml", root / "plain-site")
    elif mode == "pdf":
        entry = pdf_entry()
        if entry is None:
            return {"seconds": None}
        entry(project, root / "pdf")
    else:
        raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
    result["seconds"] = time.perf_counter() - started
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run_child(mode: str, root: Path) -> dict[str, Any]:
    """Measure mode in a fresh Python process; add its wall time (start-up included)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "briefing.bench", mode, str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench {mode} on {root} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
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
    from briefing.pipeline import render_site_pages

    project = make_project(work / f"n{n}")
    stats = synthetic.generate(project.content, n, options.seed)
    row: dict[str, Any] = {"sheets": n, "statements": stats.statements, "yaml_bytes": stats.bytes}
    runs = range(options.runs)

    def median_of(mode: str) -> dict[str, Any]:
        results = [run_child(mode, project.root) for _ in runs]
        merged: dict[str, Any] = {
            "seconds": _median(r["seconds"] for r in results),
            "wall": _median(r["wall"] for r in results),
            "peak_mib": max(r.get("peak_mib", 0.0) for r in results),
        }
        if mode == "stages":
            merged["stages"] = {s: _median(r["stages"][s] for r in results) for s in STAGES}
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
    row["pdf"] = median_of("pdf") if pdf_entry() is not None else None
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


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def table(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table, one line per size."""
    head = (
        "| sheets | check s | stages sheets/s | load | validate | link | verify | render "
        "| site s | ms/sheet | plain s | site/plain | pdf s | peak MiB | KiB/page "
        "| plain KiB/page |"
    )
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for row in rows:
        n, stages, site = row["sheets"], row["stages"]["stages"], row["site"]
        per_stage = [n / stages[s] for s in STAGES]
        plain = row.get("plain")
        pdf = row.get("pdf")
        cells = [
            f"{n:,}",
            _fmt(row["check"]["seconds"]),
            _fmt(n / sum(stages.values()), 0),
            *(_fmt(v, 0) for v in per_stage),
            _fmt(site["seconds"]),
            _fmt(1000 * site["seconds"] / n, 1),
            _fmt(plain["seconds"]) if plain else "skipped",
            _fmt(site["seconds"] / plain["seconds"]) if plain else "–",
            _fmt(pdf["seconds"]) if pdf else "n/a",
            _fmt(max(row[m]["peak_mib"] for m in ("check", "stages", "site")), 0),
            _fmt(site["html_bytes"] / site["pages"] / 1024, 1),
            _fmt(plain["html_bytes"] / plain["pages"] / 1024, 1) if plain else "–",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows: list[dict[str, Any]]) -> list[str]:
    """The issue's targets, each with the measured value and PASS, FAIL or n/a."""
    by_n = {row["sheets"]: row for row in rows}
    checks: list[tuple[str, float | None, float, bool]] = []  # what, value, limit, lower is ok

    def add(what: str, value: float | None, limit: float, below: bool = True) -> None:
        checks.append((what, value, limit, below))

    def per_sheet(n: int) -> float | None:
        return by_n[n]["site"]["seconds"] / n if n in by_n else None

    stages3k = by_n.get(3000, {}).get("stages")
    add(
        "generator stages at 3,000 sheets, sheets/s (>=)",
        3000 / sum(stages3k["stages"].values()) if stages3k else None,
        2000,
        below=False,
    )
    add("check at 1,000 sheets, s", by_n[1000]["check"]["seconds"] if 1000 in by_n else None, 1.0)
    cost3k, cost300 = per_sheet(3000), per_sheet(300)
    add(
        "site cost per sheet, 3,000 / 300",
        cost3k / cost300 if cost3k and cost300 else None,
        1.3,
    )
    plain1k = by_n.get(1000, {}).get("plain")
    add(
        "site / plain at 1,000 sheets",
        by_n[1000]["site"]["seconds"] / plain1k["seconds"] if plain1k else None,
        0.6,
    )
    add(
        "peak memory at 3,000 sheets, MiB",
        max(by_n[3000][m]["peak_mib"] for m in ("check", "stages", "site"))
        if 3000 in by_n
        else None,
        1024,
    )
    lines = []
    for what, value, limit, below in checks:
        verdict = "n/a" if value is None else "PASS" if (value <= limit) == below else "FAIL"
        lines.append(f"- {what}: {_fmt(value)} (target {limit:g}): {verdict}")
    return lines


def report(rows: list[dict[str, Any]]) -> str:
    """The table and the target lines, as printed by `build.py bench`."""
    return "\n".join([table(rows), "", *targets(rows)]) + "\n"


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:  # not serving yet, or rebuilding
        return ""


def _wait_for(url: str, wanted: str, timeout: float, log: Path) -> float:
    """Poll url every 20 ms until its body contains wanted; the seconds it took."""
    started = time.perf_counter()
    while wanted not in _get(url):
        if time.perf_counter() - started > timeout:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            message = f"{url} did not show {wanted!r} within {timeout:.0f} s; server log:\n"
            raise TimeoutError(message + tail)
        time.sleep(0.02)
    return time.perf_counter() - started


def _edit_summary(sheet: Path, words: str) -> None:
    """Replace a sheet's top-level summary (however it is written) with words."""
    from briefing.load import parse

    text = sheet.read_text(encoding="utf-8")
    root, _ = parse(sheet.name, text)
    assert root is not None
    keys = [entry.key_loc.line for entry in root.entries]
    start = next(e.key_loc.line for e in root.entries if e.key == "summary")
    end = min([line for line in keys if line > start] or [len(text.splitlines()) + 1])
    lines = text.splitlines(keepends=True)
    lines[start - 1 : end - 1] = [f"summary: {json.dumps(words)}\n"]
    sheet.write_text("".join(lines), encoding="utf-8")


def serve_latency(runs: int = 5, timeout: float = 60.0) -> dict[str, Any]:
    """`build.py serve` on a copy of content/: seconds from saving a sheet to its page changing."""
    with tempfile.TemporaryDirectory(prefix="briefing-serve-") as tmp:
        project = make_project(Path(tmp), content=ROOT / "content")
        sheet = min((project.content / "actors").glob("*.yaml"))
        with socket.socket() as probe:  # a free port
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        url = f"http://127.0.0.1:{port}/actors/{sheet.stem}/"
        command = [sys.executable, str(ROOT / "build.py"), "--root", tmp, "serve"]
        started = time.perf_counter()
        with open(Path(tmp) / "serve.log", "wb") as log:
            server = subprocess.Popen(
                [*command, "--dev-addr", f"127.0.0.1:{port}"], stdout=log, stderr=log
            )
            try:
                _wait_for(url, "</html>", timeout, Path(tmp) / "serve.log")
                startup = time.perf_counter() - started
                latencies = []
                for run in range(runs):
                    token = f"Edited for the benchmark, run {run}."
                    _edit_summary(sheet, token)
                    latencies.append(_wait_for(url, token, timeout, Path(tmp) / "serve.log"))
            finally:
                server.terminate()
                server.wait(timeout=30)
    return {"startup": startup, "latencies": latencies, "median": statistics.median(latencies)}


def main(argv: list[str]) -> int:
    """Child entry: measure one mode and print the result as one JSON line."""
    mode, root = argv
    print(json.dumps(measure(mode, Path(root))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
