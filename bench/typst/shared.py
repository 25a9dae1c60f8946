"""Defaults and the output-folder guard shared by the scripts here.

Standard library only: imported by the scripts of both venvs (the project's .venv and the
separate Typst venv).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_PROJECT = Path("/tmp/typst-w1k")
DEFAULT_OUT = Path("/tmp/typst-bench")


def out_dir(path: Path, *parts: str) -> Path:
    """path/parts resolved and created; a folder inside the repository is refused."""
    folder = path.resolve().joinpath(*parts)
    if folder == REPO or REPO in folder.parents:
        raise SystemExit(f"{folder}: the outputs go outside the repository ({REPO})")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def index(out: Path) -> list[dict]:
    """The exported briefings, in the book's order: [{"name", "statements"}, ...]."""
    path = out / "json" / "index.json"
    if not path.is_file():
        raise SystemExit(f"{path} is missing: run export.py --out {out} first")
    return json.loads(path.read_text(encoding="utf-8"))
