"""Typst on the exported briefings (the separate Typst venv; it cannot import briefing).

    /tmp/typst-venv/bin/python bench/typst/bench_typst.py --out /tmp/typst-bench \
        --mode compiler --run 1

Reads OUT/json/ (written by export.py); each briefing's JSON goes to the template as
sys.inputs.data, a string the template parses with json(), so no sheet text is ever Typst
markup. --mode:
  func      typst.compile() per briefing (a new world and a font scan each call)
  compiler  one typst.Compiler reused, compile() per briefing with new sys_inputs
  walk      as compiler, with walk.typ laying out each briefing's print HTML as XML
            (OUT/xml/, written by export_print_html.py) given as sys.inputs.doc
  book      one compile of all the briefings as a single document (book.typ)
Measured: CPU time of this process, all its threads (time.process_time), DejaVu fonts only
(--fonts), PDFs written to OUT/pdf-typst-MODE/, pages counted with pdfinfo (poppler-utils)
after the clock stops. Writes OUT/results/typst-MODE-RUN.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import time
from pathlib import Path
from typing import Any

import typst
from shared import DEFAULT_OUT, HERE, index, out_dir

MODES = ("func", "compiler", "walk", "book")


def pages(pdf: Path) -> int:
    """The page count pdfinfo reports."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--mode", choices=MODES, default="compiler")
    parser.add_argument("--run", default="1", help="the run's label in the result's file name")
    parser.add_argument("--fonts", default="/usr/share/fonts/truetype/dejavu")
    args = parser.parse_args()
    out = args.out.resolve()
    names = [entry["name"] for entry in index(out)]
    given = ("xml", "xml") if args.mode == "walk" else ("json", "json")
    texts = {n: (out / given[0] / f"{n}.{given[1]}").read_text(encoding="utf-8") for n in names}
    pdfs = out_dir(out, f"pdf-typst-{args.mode}")
    results = out_dir(out, "results")
    options: dict[str, Any] = {
        "root": HERE,
        "font_paths": [args.fonts],
        "ignore_system_fonts": True,
    }

    per: list[dict[str, Any]] = []
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    if args.mode == "func":
        for name in names:
            cpu = time.process_time()
            pdf = typst.compile(
                HERE / "briefing.typ", sys_inputs={"data": texts[name]}, timestamp=0, **options
            )
            (pdfs / f"{name}.pdf").write_bytes(pdf)
            per.append({"name": name, "cpu": time.process_time() - cpu})
    elif args.mode in ("compiler", "walk"):
        template, key = ("walk.typ", "doc") if args.mode == "walk" else ("briefing.typ", "data")
        compiler = typst.Compiler(HERE / template, **options)
        for name in names:
            cpu = time.process_time()
            pdf, warnings = compiler.compile_with_warnings(
                format="pdf", sys_inputs={key: texts[name]}, timestamp=0
            )
            if warnings:
                raise SystemExit(f"{name}: {[w.message for w in warnings]}")
            (pdfs / f"{name}.pdf").write_bytes(pdf)
            per.append({"name": name, "cpu": time.process_time() - cpu})
    else:
        data = "[" + ",".join(texts[n] for n in names) + "]"
        pdf = typst.compile(HERE / "book.typ", sys_inputs={"data": data}, timestamp=0, **options)
        (pdfs / "book.pdf").write_bytes(pdf)
    total_cpu = time.process_time() - start_cpu
    total_wall = time.perf_counter() - start_wall

    if args.mode == "book":
        total_pages = pages(pdfs / "book.pdf")
    else:
        for x in per:
            x["pages"] = pages(pdfs / f"{x['name']}.pdf")
        total_pages = sum(x["pages"] for x in per)
    result = {
        "engine": f"typst-{args.mode}",
        "run": args.run,
        "cpu": total_cpu,
        "wall": total_wall,
        "pages": total_pages,
        "first_cpu": per[0]["cpu"] if per else None,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "per": per,
    }
    (results / f"typst-{args.mode}-{args.run}.json").write_text(json.dumps(result, indent=1))
    first = f" first={per[0]['cpu']:.3f}s" if per else ""
    print(
        f"typst-{args.mode} run {args.run}: cpu={total_cpu:.2f}s wall={total_wall:.2f}s "
        f"pages={total_pages}{first}"
    )


if __name__ == "__main__":
    main()
