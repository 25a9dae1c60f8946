#!/usr/bin/env python3
"""Profile one part of the build on a synthetic corpus with the standard library's cProfile.

    python bench/profile_build.py --sheets 1000 --what site --top 30
    python bench/profile_build.py --sheets 3000 --what render --save /tmp/render.prof

--what is check (load, validate, link, verify), render (pages from checked records), or site
(the whole MkDocs build, hook included). The report lists the functions with the most
cumulative and own time, then own time grouped by package, which is how the findings in
docs/performance.md were made. (py-spy and pyinstrument are not in the pinned environment.)
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefing.bench import run as bench
from briefing.bench import synthetic
from briefing.check.checker import check
from briefing.pipeline import build_site
from briefing.web.render import render_pages


def group(stats: pstats.Stats) -> dict[str, float]:
    """Own time per package (site-packages name, briefing module, or templates)."""
    totals: dict[str, float] = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "site-packages/" in filename:
            key = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        elif "/briefing/" in filename:
            key = "briefing/" + Path(filename).name
        elif filename.endswith(".j2"):
            key = "templates/*.j2"
        elif filename.startswith(("<", "~")) or "/lib/python3" in filename:
            key = "stdlib and builtins"
        else:
            key = filename
        totals[key] = totals.get(key, 0.0) + own
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=1000, help="size of the synthetic corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--what", choices=("check", "render", "site"), default="site")
    parser.add_argument("--top", type=int, default=30, help="functions to list")
    parser.add_argument("--save", type=Path, help="also save the raw profile (pstats format)")
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="run the work --repeat times without cProfile, for a sampling profiler such as "
        "py-spy to watch (see bench/fold_stacks.py)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs with --no-profile")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="briefing-profile-") as tmp:
        project = bench.make_project(Path(tmp))
        synthetic.generate(project.content, args.sheets, args.seed)
        checked = check(project)  # warms imports; checked records for --what render
        work = {
            "check": lambda: check(project),
            "render": lambda: render_pages(project.templates, checked),
            "site": lambda: build_site(project, project.root / "site"),
        }[args.what]
        if args.no_profile:
            for _ in range(args.repeat):
                started = time.perf_counter()
                work()
                print(f"{args.what} on {args.sheets} sheets: {time.perf_counter() - started:.2f} s")
            return 0
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.runcall(work)
        elapsed = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    if args.save:
        stats.dump_stats(args.save)
    print(f"{args.what} on {args.sheets} sheets: {elapsed:.2f} s under the profiler\n")
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    total = sum(group(stats).values())
    print("own time by package:")
    for name, seconds in group(stats).items():
        if seconds / total >= 0.005:
            print(f"  {name:40s} {seconds:7.2f} s {100 * seconds / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
