"""The table of a measurement: medians per engine, ratios, page-count differences.

    /tmp/typst-venv/bin/python bench/typst/summarize.py --out /tmp/typst-bench

Standard library only (either venv runs it). Reads OUT/json/index.json and the
OUT/results/*.json the benches wrote, of the runs given by --runs (default: every run found
for WeasyPrint). ms/page is the median CPU time over the engine's own page count (Typst's
layout fits more on a page); ms/statement is over the statements of all the briefings.
--json PATH also writes the per-run numbers and the medians to PATH (bench/results/ holds
the files quoted in docs).
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
from pathlib import Path
from typing import Any

from shared import DEFAULT_OUT, index

ENGINES = {
    "weasyprint": "weasy-{}.json",
    "typst-func": "typst-func-{}.json",
    "typst-compiler": "typst-compiler-{}.json",
    "typst-book": "typst-book-{}.json",
}
MEASURE = "CPU time of the measuring process (time.process_time, all its threads); median of runs"


def engine_row(runs: list[dict[str, Any]], statements: int, briefings: int) -> dict[str, Any]:
    """Per-run numbers and medians of one engine."""
    cpu = statistics.median(r["cpu"] for r in runs)
    pages = runs[0]["pages"]
    if any(r["pages"] != pages for r in runs):
        raise SystemExit(f"{runs[0]['engine']}: the page count differs between runs")
    row: dict[str, Any] = {
        "runs": [
            {
                "run": r["run"],
                "cpu": round(r["cpu"], 3),
                "wall": round(r["wall"], 3),
                "pages": r["pages"],
                "maxrss_mb": round(r["maxrss_mb"]),
            }
            for r in runs
        ],
        "cpu_median": round(cpu, 3),
        "pages": pages,
        "statements": statements,
        "ms_per_page": round(cpu / pages * 1000, 1),
        "ms_per_statement": round(cpu / statements * 1000, 1),
        "ms_per_briefing": round(cpu / briefings * 1000),
    }
    if runs[0]["per"]:
        rest = statistics.median(sum(x["cpu"] for x in r["per"][1:]) for r in runs)
        rest_pages = pages - runs[0]["per"][0]["pages"]
        if rest_pages:
            row["ms_per_page_without_first"] = round(rest / rest_pages * 1000, 1)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--runs", nargs="+", help="run labels (default: all found)")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    parser.add_argument("--date", default=datetime.date.today().isoformat())
    parser.add_argument("--note", default="", help="the machine and its load, for --json")
    args = parser.parse_args()
    out = args.out.resolve()
    results = out / "results"
    entries = index(out)
    statements = sum(e["statements"] for e in entries)
    labels = args.runs or sorted(p.stem.removeprefix("weasy-") for p in results.glob("weasy-*"))
    if not labels:
        raise SystemExit(f"no results in {results}")

    loaded: dict[str, list[dict[str, Any]]] = {}
    rows: dict[str, dict[str, Any]] = {}
    for engine, pattern in ENGINES.items():
        paths = [results / pattern.format(label) for label in labels]
        if not all(p.is_file() for p in paths):
            print(f"{engine:15} skipped: not every run of {labels} is in {results}")
            continue
        loaded[engine] = [json.loads(p.read_text()) for p in paths]
        rows[engine] = row = engine_row(loaded[engine], statements, len(entries))
        without_first = row.get("ms_per_page_without_first")
        print(
            f"{engine:15} cpu runs={[round(r['cpu'], 2) for r in row['runs']]} "
            f"median={row['cpu_median']:.2f}s pages={row['pages']} "
            f"ms/page={row['ms_per_page']:.1f} ms/statement={row['ms_per_statement']:.1f} "
            f"ms/briefing={row['ms_per_briefing']} "
            f"maxrss={statistics.median(r['maxrss_mb'] for r in row['runs']):.0f}MB"
            + (f" excl-first ms/page={without_first:.1f}" if without_first else "")
        )

    summary: dict[str, Any] = {
        "date": args.date,
        "note": args.note,
        "measure": MEASURE,
        "briefings": len(entries),
        "statements": statements,
        "engines": rows,
    }
    if "weasyprint" in rows:
        weasy = rows["weasyprint"]
        summary["ratios"] = {}
        for engine, row in rows.items():
            if engine == "weasyprint":
                continue
            ratios = {
                "per_page": round(
                    (weasy["cpu_median"] / weasy["pages"]) / (row["cpu_median"] / row["pages"]), 1
                ),
                "per_statement": round(weasy["cpu_median"] / row["cpu_median"], 1),
            }
            summary["ratios"][engine] = ratios
            print(
                f"ratio weasy/{engine}: per page {ratios['per_page']:.1f}x, "
                f"per statement {ratios['per_statement']:.1f}x"
            )
        json_cpu = statistics.median(r["json_export_cpu"] for r in loaded["weasyprint"])
        summary["json_export_cpu_median"] = round(json_cpu, 3)
    print("statements (notes) total", statements)
    if "weasyprint" in loaded and "typst-compiler" in loaded:
        pairs = zip(loaded["weasyprint"][0]["per"], loaded["typst-compiler"][0]["per"], strict=True)
        differences = [
            (a["name"], a["pages"], b["pages"]) for a, b in pairs if a["pages"] != b["pages"]
        ]
        summary["page_count_differences"] = differences
        print("page-count differences (name, weasy, typst):", len(differences), differences)
        print(f"json export cpu (median) {summary['json_export_cpu_median']:.3f}s")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
        print("wrote", args.json)


if __name__ == "__main__":
    main()
