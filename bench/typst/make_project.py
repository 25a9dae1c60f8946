"""Make a synthetic project to measure on, with the project's own generator (project venv).

    cd /work/main && .venv/bin/python bench/typst/make_project.py --sheets 1000 /tmp/typst-w1k

The same steps as the project's benchmark (briefing/bench/run.py): make_project copies this
checkout's mkdocs.yml, templates and docs into the folder, then synthetic.generate writes a
corpus of --sheets sheets (seed 0 unless --seed; the same seed, the same bytes). 1,000
sheets give 40 briefings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from shared import out_dir

from briefing.bench import synthetic
from briefing.bench.run import make_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="the folder to create (must not exist)")
    parser.add_argument("--sheets", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.project.exists():
        raise SystemExit(f"{args.project} exists already")
    project = make_project(out_dir(args.project))
    stats = synthetic.generate(project.content, args.sheets, args.seed)
    briefings = len(list((project.content / "briefings").glob("*.yaml")))
    print(f"{project.root}: {args.sheets} sheets, {briefings} briefings", end="")
    print(f", {stats.statements} statements")


if __name__ == "__main__":
    main()
