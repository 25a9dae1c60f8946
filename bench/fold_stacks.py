#!/usr/bin/env python3
"""Summarise a py-spy profile: the share of samples in each function, inclusive and own.

py-spy samples the running program without slowing it (cProfile, in bench/profile_build.py,
adds a cost to every call and so overstates code that makes many small calls). It is not
in the pinned environment; install it beside the project and record the folded stacks:

    python -m venv /tmp/spy && /tmp/spy/bin/pip install py-spy
    /tmp/spy/bin/py-spy record -r 500 -f raw -o render.txt -- \\
        .venv/bin/python bench/profile_build.py --sheets 3000 --what render --no-profile
    python bench/fold_stacks.py render.txt --under render_pages --top 40

--under keeps only the samples whose stack passes through a function of that name.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LINE = re.compile(r":\d+$")


def function_of(frame: str) -> str:
    """A py-spy frame, 'render (/work/briefing/web/render.py:42)', as one name per function
    with its file from the package folder ('render (briefing/web/render.py)'), or with the
    file's folder for other code ('escape (markupsafe/__init__.py)')."""
    name, found, where = frame.rpartition(" (")
    if not found or not where.endswith(")"):
        return frame
    parts = _LINE.sub("", where[:-1]).split("/")
    start = len(parts) - 2
    if "briefing" in parts[:-1]:
        start = len(parts) - 1 - parts[-2::-1].index("briefing") - 1
    return f"{name} ({'/'.join(parts[max(start, 0) :])})"


def summarise(lines: list[str], under: str | None) -> tuple[int, Counter[str], Counter[str]]:
    """Samples counted, and the samples per function: anywhere on the stack, and on top."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        functions = [function_of(frame) for frame in stack.split(";")]
        if under and not any(f.startswith(f"{under} ") for f in functions):
            continue
        samples = int(count)
        total += samples
        for function in set(functions):
            inclusive[function] += samples
        own[functions[-1]] += samples
    return total, inclusive, own


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path, help="py-spy record -f raw output")
    parser.add_argument("--under", help="only samples below a function of this name")
    parser.add_argument("--top", type=int, default=30, help="functions to list")
    args = parser.parse_args()
    lines = args.profile.read_text(encoding="utf-8").splitlines()
    total, inclusive, own = summarise(lines, args.under)
    if not total:
        print("no samples" + (f" under {args.under}" if args.under else ""))
        return 1
    print(f"{total} samples")
    for title, counts in (("inclusive", inclusive), ("own", own)):
        print(f"\n{title}:")
        for function, samples in counts.most_common(args.top):
            print(f"{100 * samples / total:6.1f}%  {function}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
