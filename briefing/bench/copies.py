"""A corpus grown by copying real sheets (not the generator): content/ copied N times under
new ids ('china', 'china-2', ...), references included, and the full build's marginal cost
per sheet between two such corpora.

`python -m briefing.bench.copies 4 12` builds content/ x4 and x12 (cold: no PDF cache)
and prints the cost per added sheet (target: at most 40 ms a sheet). On the larger corpus it
then edits one statement and builds again with the cache of a previous build (target: at
most 20 % of the cold build), builds the edited corpus cold and compares the two sites byte
for byte, and times `check` on content/ grown to about 1,000 sheets (target: under 1 s).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing.bench.headline import edit_statement
from briefing.bench.run import ROOT, make_project, run_child

# content/ copied this many times for the check at about 1,000 sheets (41 sheets a copy).
CHECK_COPIES = 25


def grow(source: Path, target: Path, copies: int) -> int:
    """Write content/ (source) copies times into target under new ids; the sheets written."""
    paths = sorted(p for p in source.glob("*/*") if p.is_file())
    ids = sorted((p.stem for p in paths if p.suffix == ".yaml"), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    sheets = 0
    for n in range(1, copies + 1):
        for path in paths:
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".yaml":  # ids and references are lowercase slugs; prose is not
                text = pattern.sub(_renamer("" if n == 1 else f"-{n}"), text)
                sheets += 1
            name = path.name if n == 1 else f"{path.stem}-{n}{path.suffix}"
            out = target / path.parent.name / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
    for path in source.glob("*.yaml"):  # corpus settings (corpus.yaml), once
        (target / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return sheets


def _renamer(suffix: str) -> Callable[[re.Match[str]], str]:
    return lambda match: match.group(1) + suffix


def marginal(small: int, large: int, work: Path) -> dict[str, Any]:
    """The full build (cold) of content/ x small and x large; seconds per added sheet; then
    the rebuild after one edit on the larger corpus, and check at about 1,000 sheets."""
    rows = {}
    roots = {}
    for copies in (small, large):
        project = make_project(work / f"x{copies}")
        roots[copies] = project.root
        sheets = grow(ROOT / "content", project.content, copies)
        result = run_child("build", project.root)
        pdfs = len(list((project.root / "site" / "pdf").rglob("*.pdf")))
        rows[copies] = {"sheets": sheets, "wall": result["wall"], "cpu": result["cpu"]}
        rows[copies] |= {"pdfs": pdfs, "peak_mib": result["peak_mib"]}
    added = rows[large]["sheets"] - rows[small]["sheets"]
    per_sheet = (rows[large]["wall"] - rows[small]["wall"]) / added
    per_sheet_cpu = (rows[large]["cpu"] - rows[small]["cpu"]) / added
    return {
        "corpora": rows,
        "ms_per_sheet": 1000 * per_sheet,
        "cpu_ms_per_sheet": 1000 * per_sheet_cpu,
        "rebuild": rebuild_after_edit(roots[large], work / "cache", rows[large]["wall"]),
        "check": check_at_scale(work / f"x{CHECK_COPIES}"),
    }


def _digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def rebuild_after_edit(root: Path, cache: Path, cold: float) -> dict[str, Any]:
    """Build with a cache, edit one statement no briefing cites, build again with the cache;
    then build the edited corpus cold: the rebuild's share of it, and whether both sites are
    the same bytes."""
    run_child("build", root, cache)  # fills the cache
    edited = edit_statement(root / "content", cited=False, run=0)
    warm = run_child("build", root, cache)
    after_warm = _digests(root / "site")
    again = run_child("build", root)  # cold, the same edited corpus
    after_cold = _digests(root / "site")
    names = after_warm.keys() | after_cold.keys()
    differing = sorted(name for name in names if after_warm.get(name) != after_cold.get(name))
    return {
        "edited": edited,
        "wall": warm["wall"],
        "share_of_cold": warm["wall"] / cold,
        "cold_after_edit": again["wall"],
        "differing_files": differing,
    }


def check_at_scale(root: Path) -> dict[str, Any]:
    """`check` (as the benchmark runs it, a fresh process) on content/ x CHECK_COPIES."""
    project = make_project(root)
    sheets = grow(ROOT / "content", project.content, CHECK_COPIES)
    result = run_child("check", project.root)
    return {"sheets": sheets, "wall": result["wall"], "seconds": result["seconds"]}


def main(argv: list[str]) -> int:
    small, large = (int(a) for a in argv) if argv else (4, 12)
    with tempfile.TemporaryDirectory(prefix="briefing-copies-") as tmp:
        result = marginal(small, large, Path(tmp))
    for copies, row in result["corpora"].items():
        print(
            f"content/ x{copies}: {row['sheets']} sheets, {row['pdfs']} PDFs, full build "
            f"{row['wall']:.2f} s (CPU {row['cpu']:.2f} s), peak {row['peak_mib']:.0f} MiB"
        )
    print(
        f"marginal cost: {result['ms_per_sheet']:.1f} ms a sheet "
        f"(CPU {result['cpu_ms_per_sheet']:.1f}); target <= 40: "
        + ("PASS" if result["ms_per_sheet"] <= 40 else "FAIL")
    )
    rebuild, checked = result["rebuild"], result["check"]
    print(
        f"rebuild after editing {rebuild['edited']}: {rebuild['wall']:.2f} s, "
        f"{100 * rebuild['share_of_cold']:.0f} % of the cold build; target <= 20 %: "
        + ("PASS" if rebuild["share_of_cold"] <= 0.20 else "FAIL")
        + "; the same bytes as a cold build: "
        + ("yes" if not rebuild["differing_files"] else f"no ({rebuild['differing_files']})")
    )
    print(
        f"check at {checked['sheets']} sheets: {checked['wall']:.2f} s in a fresh process "
        f"({checked['seconds']:.2f} s inside it); target < 1 s: "
        + ("PASS" if checked["wall"] < 1 else "FAIL")
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
