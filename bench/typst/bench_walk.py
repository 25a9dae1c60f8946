"""Typst laying out the print HTML through walk.typ (the separate Typst venv).

    /tmp/typst-venv/bin/python bench/typst/bench_walk.py --out /tmp/typst-bench --run 1

Reads OUT/xml/ (written by export_print_html.py): each briefing's print HTML as XML goes to
walk.typ as sys.inputs.doc, which it parses with xml() and lays out element by element. One
typst.Compiler, reused. Measured as bench_typst.py measures: CPU time of this process
(time.process_time), DejaVu fonts only, pages counted with pdfinfo after the clock stops.
PDFs in OUT/pdf-typst-walk/; writes OUT/results/typst-walk-RUN.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path
from typing import Any

import typst
from bench_typst import pages
from shared import DEFAULT_OUT, HERE, index, out_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--run", default="1", help="the run's label in the result's file name")
    parser.add_argument("--fonts", default="/usr/share/fonts/truetype/dejavu")
    args = parser.parse_args()
    out = args.out.resolve()
    names = [entry["name"] for entry in index(out)]
    docs = {n: (out / "xml" / f"{n}.xml").read_text(encoding="utf-8") for n in names}
    pdfs = out_dir(out, "pdf-typst-walk")
    results = out_dir(out, "results")
    compiler = typst.Compiler(root=str(HERE), font_paths=[args.fonts], ignore_system_fonts=True)
    template = str(HERE / "walk.typ")
    per: list[dict[str, Any]] = []
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for name in names:
        cpu = time.process_time()
        data = compiler.compile(input=template, sys_inputs={"doc": docs[name]})
        (pdfs / f"{name}.pdf").write_bytes(data)
        per.append({"name": name, "cpu": time.process_time() - cpu})
    total_cpu = time.process_time() - start_cpu
    total_wall = time.perf_counter() - start_wall
    for entry in per:
        entry["pages"] = pages(pdfs / f"{entry['name']}.pdf")
    result = {
        "engine": "typst",
        "mode": "walk",
        "run": args.run,
        "cpu": total_cpu,
        "wall": total_wall,
        "pages": sum(x["pages"] for x in per),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "per": per,
    }
    (results / f"typst-walk-{args.run}.json").write_text(json.dumps(result, indent=1))
    print(
        f"typst walk run {args.run}: cpu={total_cpu:.2f}s wall={total_wall:.2f}s "
        f"pages={result['pages']}"
    )


if __name__ == "__main__":
    main()
