"""Export each briefing of a project as JSON for the Typst template (project venv).

    cd /work/main && .venv/bin/python bench/typst/export.py --project /tmp/typst-w1k \
        --out /tmp/typst-bench

Builds each briefing's Document with the project's own code (check, then layout.plan with
the print diagrams, as the PDF stage does) and writes OUT/json/<name>.json ({"doc", "kinds"})
and OUT/json/index.json (each briefing's name and statement count, in the book's order).
--limit N exports only the first N briefings (a smoke run); the benches measure what is here.

Rich text (Markup with <a href> and <span class="bf-ref">) becomes a list of segments,
[{"t": text}, {"t": title, "href": "#anchor"}, {"t": title, "ref": true}], so the template
inserts every word of a sheet as a string value, never as Typst markup.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from markupsafe import Markup
from shared import DEFAULT_OUT, DEFAULT_PROJECT, out_dir

from briefing.check.checker import check
from briefing.model.contract import KIND_REGISTRY
from briefing.pdf import layout
from briefing.present.diagram import print_diagram
from briefing.project import Project


class _Segments(HTMLParser):
    """Rich text's HTML as segments; a tag other than <a> or <span class="bf-ref"> fails."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self.current = {"t": "", "href": attributes.get("href") or ""}
        elif tag == "span" and attributes.get("class") == "bf-ref":
            self.current = {"t": "", "ref": True}
        else:
            raise ValueError(f"unexpected tag {tag} in rich text")

    def handle_endtag(self, tag: str) -> None:
        if self.current is not None:
            self.out.append(self.current)
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current["t"] += data
        elif self.out and set(self.out[-1]) == {"t"}:
            self.out[-1]["t"] += data
        else:
            self.out.append({"t": data})


def rich(markup: Markup) -> list[dict[str, Any]]:
    """One rich text as segments."""
    parser = _Segments()
    parser.feed(str(markup))
    parser.close()
    return parser.out


def conv(obj: Any) -> Any:
    """A Document (dataclasses, Markup, lists, dicts) as plain JSON values."""
    if isinstance(obj, Markup):
        return rich(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {"_type": type(obj).__name__}
        for field in dataclasses.fields(obj):
            out[field.name] = conv(getattr(obj, field.name))
        if hasattr(obj, "title_sentence"):
            out["title_sentence"] = obj.title_sentence
        return out
    if isinstance(obj, list | tuple):
        return [conv(x) for x in obj]
    if isinstance(obj, dict):
        return {key: conv(value) for key, value in obj.items()}
    return obj


def planned(project: Project) -> list[layout.Planned]:
    """Every briefing's PDF as the PDF stage plans it (check with one worker, then plan)."""
    checked = check(project, 1)
    return layout.plan(checked.corpus, print_diagram)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=DEFAULT_PROJECT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--limit", type=int, default=0, help="only the first N briefings")
    args = parser.parse_args()
    if not (args.project / "content").is_dir():
        raise SystemExit(f"{args.project} has no content/: make it with make_project.py")
    folder = out_dir(args.out, "json")
    for old in folder.glob("*.json"):
        old.unlink()
    plans = planned(Project(args.project.resolve()))
    if args.limit:
        plans = plans[: args.limit]
    kinds = [{"name": k.name, "label": k.label, "meaning": k.meaning} for k in KIND_REGISTRY]
    index = []
    for plan in plans:
        name = Path(plan.path).stem
        data = {"doc": conv(plan.document), "kinds": kinds}
        text = json.dumps(data, ensure_ascii=False, indent=1)
        (folder / f"{name}.json").write_text(text, encoding="utf-8")
        index.append({"name": name, "statements": plan.document.statement_count})
    (folder / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    print(f"exported {len(plans)} briefings to {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
