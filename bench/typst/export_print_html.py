"""Export each briefing's print HTML, as the PDF stage makes it, as XML (project venv).

    cd /work/main && .venv/bin/python bench/typst/export_print_html.py \
        --project /tmp/typst-w1k --out /tmp/typst-bench

For walk.typ (bench_typst.py --mode walk): the same HTML WeasyPrint lays out
(layout.document_html, from templates/print/, whose statement markup the site shares),
parsed by lxml and written back as well-formed XML, since Typst's xml() reads only that:
OUT/xml/<name>.xml, the <body> element, for each briefing in OUT/json/index.json (run
export.py first).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import lxml.etree
import lxml.html
from export import planned
from shared import DEFAULT_OUT, DEFAULT_PROJECT, index, out_dir

from briefing.pdf import layout
from briefing.present.jinja import environment
from briefing.project import Project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    out = args.out.resolve()
    names = [entry["name"] for entry in index(out)]
    folder = out_dir(out, "xml")
    project = Project(args.project.resolve())
    by_name = {Path(plan.path).stem: plan for plan in planned(project)}
    env = environment(project.templates)
    date = layout.source_date()
    for name in names:
        html = layout.document_html(env, by_name[name].document, date)
        body = lxml.html.document_fromstring(html).find("body")
        text = lxml.etree.tostring(body, method="xml", encoding="unicode")
        (folder / f"{name}.xml").write_text(text, encoding="utf-8")
    print(f"exported the print HTML of {len(names)} briefings to {folder}")


if __name__ == "__main__":
    main()
