"""WeasyPrint as the project uses it, on the exported briefings (project venv).

    cd /work/main && .venv/bin/python bench/typst/bench_weasy.py --project /tmp/typst-w1k \
        --out /tmp/typst-bench --run 1

For each briefing listed in OUT/json/index.json (written by export.py), in one process:
layout.document_html (Jinja) then layout.render_pdf (WeasyPrint layout and write_pdf), A4,
the PDF written to OUT/pdf-weasy/. Measured: CPU time of this process (time.process_time),
WeasyPrint's import and the check excluded. Also measured apart, not in the total: the
hand-over Typst would need instead of Jinja, each Document as JSON text (export.conv).
Writes OUT/results/weasy-RUN.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import weasyprint  # noqa: F401  (imported before the clock starts)
from export import conv, planned
from shared import DEFAULT_OUT, DEFAULT_PROJECT, index, out_dir

from briefing.pdf import layout
from briefing.present.jinja import environment
from briefing.project import Project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--run", default="1", help="the run's label in the result's file name")
    args = parser.parse_args()
    out = args.out.resolve()
    names = [entry["name"] for entry in index(out)]
    pdfs = out_dir(out, "pdf-weasy")
    results = out_dir(out, "results")
    project = Project(args.project.resolve())
    by_name = {Path(plan.path).stem: plan for plan in planned(project)}
    plans = [by_name[name] for name in names]
    env = environment(project.templates)
    css = layout.stylesheet(project, "a4")
    date = layout.source_date()

    per: list[dict[str, Any]] = []
    start_cpu, start_wall = time.process_time(), time.perf_counter()
    for plan in plans:
        cpu = time.process_time()
        html = layout.document_html(env, plan.document, date)
        data, pages = layout.render_pdf(project, html, css, plan.path)
        (pdfs / Path(plan.path).name).write_bytes(data)
        per.append(
            {
                "name": Path(plan.path).stem,
                "cpu": time.process_time() - cpu,
                "pages": pages,
                "statements": plan.document.statement_count,
            }
        )
    total_cpu = time.process_time() - start_cpu
    total_wall = time.perf_counter() - start_wall

    cpu = time.process_time()
    for plan in plans:
        json.dumps({"doc": conv(plan.document)}, ensure_ascii=False)
    json_cpu = time.process_time() - cpu

    result = {
        "engine": "weasyprint",
        "run": args.run,
        "cpu": total_cpu,
        "wall": total_wall,
        "pages": sum(x["pages"] for x in per),
        "statements": sum(x["statements"] for x in per),
        "first_cpu": per[0]["cpu"],
        "json_export_cpu": json_cpu,
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "per": per,
    }
    (results / f"weasy-{args.run}.json").write_text(json.dumps(result, indent=1))
    print(
        f"weasyprint run {args.run}: cpu={total_cpu:.2f}s wall={total_wall:.2f}s "
        f"pages={result['pages']} first={per[0]['cpu']:.2f}s json={json_cpu:.3f}s"
    )


if __name__ == "__main__":
    main()
