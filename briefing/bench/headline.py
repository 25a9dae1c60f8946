"""The headline benchmark: what users run, beside Material's default build, in one run.

For each size N (synthetic corpus, briefing.bench.synthetic):

- build: `briefing build` (check, render, MkDocs, every PDF, inspection, publish), cold: no
  PDF cache, a fresh process;
- material: Material's default build of the same pages (the pages written to docs/, a nav
  listing every page, no hook, no PDFs), in the same run, alternating with the build;
- warm: the build again with the PDF cache of a previous build, after one statement's text
  changed: once a statement no briefing cites, once one a briefing cites (its PDF and the
  book are laid out again);
- preview: `briefing serve`, seconds from saving a sheet to its page showing the change;
- below those, the site alone (no PDFs) and the PDFs alone (`briefing pdf`, cold), and the
  peak memory of each process.

`python -m briefing.bench.headline --sizes 100 300 1000 3000 --json out.json`. Every
measurement is a fresh process; medians of --runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from briefing.bench import synthetic
from briefing.bench.run import make_project, run_child, site_size, write_plain
from briefing.bench.serve import serve_latency
from briefing.present.places import DEFAULT_PRINT_ENGINE, PRINT_ENGINES


def edit_statement(content: Path, cited: bool, run: int) -> str:
    """Change the text of one statement (one a briefing cites, or one none cites) in place;
    its target ('sheet#statement')."""
    citing: set[str] = set()
    for path in sorted((content / "briefings").glob("*.yaml")):
        briefing = yaml.safe_load(path.read_text(encoding="utf-8"))
        refs = [*briefing.get("key_judgments", [])]
        refs += [r for section in briefing.get("sections", []) for r in section.get("refs", [])]
        citing.update(r for r in refs if isinstance(r, str) and "#" in r)
    for path in sorted((content / "actors").glob("*.yaml")):
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        for statement in sheet.get("statements", []):
            target = f"{sheet['id']}#{statement['id']}"
            if (target in citing) == cited:
                statement["text"] = f"{statement['text']} Edited for the benchmark ({run})."
                dumped = yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True, width=90)
                path.write_text(dumped, encoding="utf-8")
                return target
    raise LookupError(f"no actor statement with cited={cited}")


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "seconds": _median([r["seconds"] for r in results]),
        "wall": _median([r["wall"] for r in results]),
        "cpu": _median([r["cpu"] for r in results]),
        "peak_mib": max(r["peak_mib"] for r in results),
        "all": [round(r["wall"], 3) for r in results],
    }


def bench_size(
    n: int, runs: int, seed: int, work: Path, preview_runs: int, engine: str
) -> dict[str, Any]:
    from briefing.web.render import render_site_pages

    project = make_project(work / f"n{n}")
    synthetic.generate(project.content, n, seed)
    write_plain(project, render_site_pages(project))
    row: dict[str, Any] = {"sheets": n, "print_engine": engine}
    built: list[dict[str, Any]] = []
    plain: list[dict[str, Any]] = []
    for _ in range(runs):  # alternately, so both see the same machine
        built.append(run_child("build", project.root, engine=engine))
        plain.append(run_child("plain", project.root))
    row["build"], row["material"] = _summary(built), _summary(plain)
    row["build"]["pages"], _ = site_size(project.root / "site")
    row["build"]["pdfs"] = len(list((project.root / "site" / "pdf").rglob("*.pdf")))
    row["site"] = _summary([run_child("site", project.root) for _ in range(runs)])
    row["pdf"] = _summary([run_child("pdf", project.root, engine=engine) for _ in range(runs)])
    cache = work / f"cache-{n}"
    run_child("build", project.root, cache, engine)  # fills the PDF cache
    for cited in (False, True):
        warm = []
        for r in range(runs):
            target = edit_statement(project.content, cited, r)
            warm.append(run_child("build", project.root, cache, engine))
        row["warm_cited" if cited else "warm"] = {**_summary(warm), "edited": target}
    if preview_runs:
        row["preview"] = serve_latency(runs=preview_runs, timeout=300, sheets=n, seed=seed)
    return row


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(rows: list[dict[str, Any]]) -> str:
    """The headline table, then the parts below it."""
    head = (
        "| sheets | full build s | Material default s | build / Material | warm s "
        "| warm / cold | warm, cited s | preview s | PDFs | peak MiB |"
    )
    lines = [head, "|" + "---:|" * (head.count("|") - 1)]
    for row in rows:
        build, material = row["build"], row["material"]
        preview = row.get("preview", {}).get("median")
        cells = [
            f"{row['sheets']:,}",
            _fmt(build["wall"]),
            _fmt(material["wall"]),
            _fmt(build["wall"] / material["wall"]),
            _fmt(row["warm"]["wall"]),
            _fmt(row["warm"]["wall"] / build["wall"]),
            _fmt(row["warm_cited"]["wall"]),
            _fmt(preview),
            str(build["pdfs"]),
            _fmt(build["peak_mib"], 0),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| sheets | site only s | PDFs only s | site peak MiB | PDF peak MiB |"]
    lines.append("|---:|---:|---:|---:|---:|")
    for row in rows:
        site, pdf = row["site"], row["pdf"]
        cells = [f"{row['sheets']:,}", _fmt(site["wall"]), _fmt(pdf["wall"])]
        cells += [_fmt(site["peak_mib"], 0), _fmt(pdf["peak_mib"], 0)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def run(
    sizes: list[int],
    runs: int,
    seed: int,
    preview_runs: int,
    keep: Path | None,
    progress: Callable[[str], None],
    engine: str = DEFAULT_PRINT_ENGINE,
) -> list[dict[str, Any]]:
    work = keep or Path(tempfile.mkdtemp(prefix="briefing-headline-"))
    rows = []
    try:
        for n in sizes:
            started = time.perf_counter()
            rows.append(bench_size(n, runs, seed, work, preview_runs, engine))
            progress(f"measured {n} sheets in {time.perf_counter() - started:.0f} s")
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing.bench.headline")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000])
    parser.add_argument("--runs", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--preview-runs", type=int, default=3, help="saves timed (0: none)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="build the corpora here and keep them")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    parser.add_argument(
        "--print-engine", choices=PRINT_ENGINES, default=DEFAULT_PRINT_ENGINE, help="lays out PDFs"
    )
    args = parser.parse_args(argv)
    rows = run(
        args.sizes,
        args.runs,
        args.seed,
        args.preview_runs,
        args.keep,
        lambda line: print(line, file=sys.stderr, flush=True),
        args.print_engine,
    )
    print(table(rows), end="")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
