"""Hostile strings stay data: put Typst syntax into one briefing's sheet texts, compile it,
and check that pdftotext shows every string literally (the separate Typst venv).

    /tmp/typst-venv/bin/python bench/typst/hostile.py --out /tmp/typst-bench

Reads OUT/json/BRIEFING.json (written by export.py), puts the strings below into its title,
summary, first statement (text, link, attribution, source) and notes (quote, citation),
compiles it with briefing.typ and writes OUT/hostile.pdf. Exits 1 if Typst warns or a
string is missing from the text (evaluated code, markup or a comment would change or drop
it).

One more note gets characters DejaVu has no glyph for (CJK, an emoji), reported apart and
not failing the check: Typst prints boxes for them without a warning, and as every missing
glyph is the same glyph 0, the text extracted keeps some of them and loses others.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import typst
from shared import DEFAULT_OUT, HERE, out_dir

HOSTILE = [
    '#eval("1+1") #read("/etc/passwd")',
    "$x^2$ and $ a $",
    "*bold* _em_ `raw` ~nbsp",
    "<lbl> @ref @briefing-0000 <evil>",
    r"back\slash \\ \n \u{41} \#",
    "[brackets] ]unbalanced[ {braces} }",
    "#set text(fill: red) #show: none",
    "// line comment /* block */",
    "= Heading - list + enum / term: x",
    '#import "briefing-lib.typ": * #include "book.typ"',
    "quotes 'single' \"double\" -- --- ... Ü ñ",
]
NO_GLYPH = "no glyph: 中文 🙂"


def first_statement(doc: dict[str, Any]) -> dict[str, Any]:
    """The first statement item of the document."""
    for part in doc["parts"]:
        for chapter in part["chapters"]:
            for block in chapter["blocks"]:
                for item in block["items"]:
                    if item["_type"] == "PrintStatement":
                        return item
    raise SystemExit("the briefing has no statement")


def inject(doc: dict[str, Any]) -> None:
    """Every hostile string into doc, in place."""
    doc["title"] = HOSTILE[0] + " | " + HOSTILE[3]
    doc["summary"] = [{"t": HOSTILE[1]}]
    statement = first_statement(doc)["view"]
    statement["text"] = [
        {"t": HOSTILE[2] + " "},
        {"t": HOSTILE[4], "href": statement["source_href"]},
    ]
    statement["attributed_to"] = [{"t": HOSTILE[5]}]
    statement["source_short"] = HOSTILE[6]
    notes = [note for part in doc["parts"] for note in part["notes"]]
    if len(notes) <= len(HOSTILE):
        raise SystemExit(f"the briefing has {len(notes)} notes; {len(HOSTILE) + 1} are needed")
    for note, text in zip(notes, [*HOSTILE, NO_GLYPH], strict=False):
        note["quote"] = text
    cited = next((note for note in notes if note["citation"] is not None), None)
    if cited is not None:
        cited["citation"]["by"] = HOSTILE[7]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--briefing", default="briefing-0000")
    parser.add_argument("--fonts", default="/usr/share/fonts/truetype/dejavu")
    args = parser.parse_args()
    out = out_dir(args.out)
    data = json.loads((out / "json" / f"{args.briefing}.json").read_text(encoding="utf-8"))
    inject(data["doc"])
    compiler = typst.Compiler(
        HERE / "briefing.typ", root=HERE, font_paths=[args.fonts], ignore_system_fonts=True
    )
    pdf, warnings = compiler.compile_with_warnings(
        format="pdf", sys_inputs={"data": json.dumps(data)}
    )
    (out / "hostile.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(out / "hostile.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.split())
    missing = [h for h in HOSTILE if " ".join(h.split()) not in flat]
    print("warnings:", [w.message for w in warnings])
    for h in HOSTILE:
        print("MISSING" if h in missing else "LITERAL", repr(h))
    print(f"{out / 'hostile.pdf'}: {len(HOSTILE) - len(missing)} of {len(HOSTILE)} literal")
    found = NO_GLYPH in flat
    lost = (
        ""
        if found
        else f" (extracted: {next((x for x in text.splitlines() if 'no glyph' in x), '')!r})"
    )
    print(f"not checked, no glyphs: {NO_GLYPH!r} {'found' if found else 'lost'}{lost}")
    if warnings or missing:
        sys.exit(1)


if __name__ == "__main__":
    main()
