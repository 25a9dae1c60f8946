#!/usr/bin/env python3
"""briefing's command line: parses arguments, calls the library, maps errors to exit codes."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefing.errors import BriefingError, ContentError, SiteBuildError, TemplateProblem
from briefing.pipeline import Project, check


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    checked = check(project)
    sheets = len(checked.corpus.sheets)
    statements = sum(len(s.statements) for s in checked.corpus.sheets)
    elapsed = time.perf_counter() - started
    plural = "s" * (statements != 1)
    print(f"ok: {sheets} sheets, {statements} statement{plural} checked in {elapsed:.2f} s")
    return 0


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    from briefing.site import build_site

    started = time.perf_counter()
    checked = check(project)  # content problems are reported before MkDocs starts
    site_dir = args.site_dir or project.root / "site"
    build_site(project, site_dir, verbose=args.verbose)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"built {site_dir} from {len(checked.corpus.sheets)} sheets in {elapsed:.2f} s")
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from briefing.site import serve

    check(project)
    serve(project, args.dev_addr)
    return 0


def cmd_bench(project: Project, args: argparse.Namespace) -> int:
    from briefing import bench
    from briefing.bench_report import report

    if args.serve:
        from briefing.bench_serve import serve_latency

        result = serve_latency(runs=args.runs)
        seconds = ", ".join(f"{s:.2f}" for s in result["latencies"])
        print(f"live preview: server up in {result['startup']:.1f} s; edit -> page shows it in")
        print(f"{result['median']:.2f} s (median of {len(result['latencies'])}: {seconds})")
        if args.json:
            args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        return 0
    options = bench.Options(
        sizes=tuple(args.sizes),
        runs=args.runs,
        seed=args.seed,
        plain_max=args.plain_max,
        pdf_max=args.pdf_max,
        keep=args.keep,
    )
    rows = bench.run(options, progress=lambda line: print(line, file=sys.stderr))
    print(report(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


Command = Callable[[Project, argparse.Namespace], int]


def parse_args(argv: list[str]) -> tuple[Command, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build the briefing site from the YAML sheets in content/."
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="project folder holding mkdocs.yml, content/ and templates/",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="check the content, then build site/ (the default)")
    build.add_argument("--site-dir", type=Path, help="where to build (default: ROOT/site)")
    build.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.set_defaults(run=cmd_build)
    check_parser = sub.add_parser("check", help="load, validate, link and verify; build nothing")
    check_parser.set_defaults(run=cmd_check)
    serve = sub.add_parser("serve", help="live preview; reloads on edits to sheets and templates")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(run=cmd_serve)
    bench = sub.add_parser("bench", help="time check, stages and builds on synthetic corpora")
    bench.add_argument(
        "--sizes", type=int, nargs="+", default=[100, 300, 1000, 3000], help="sheets per corpus"
    )
    bench.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    bench.add_argument("--seed", type=int, default=0, help="seed of the synthetic corpora")
    bench.add_argument(
        "--plain-max",
        type=int,
        default=1000,
        help="largest size also built with the plain full-nav configuration",
    )
    bench.add_argument(
        "--pdf-max", type=int, default=100, help="largest size also built as PDFs (if available)"
    )
    bench.add_argument("--keep", type=Path, help="build the corpora in this folder and keep them")
    bench.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    bench.add_argument(
        "--serve",
        action="store_true",
        help="instead: live-preview latency, from saving a sheet to the served page showing it",
    )
    bench.set_defaults(run=cmd_bench)
    args = parser.parse_args(argv)
    if args.command is None:  # plain `build.py` builds
        args = parser.parse_args([*argv, "build"])
    return args.run, args


def main(argv: list[str] | None = None) -> int:
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return command(Project(args.root.resolve()), args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' * (count != 1)} found; nothing was built", file=sys.stderr)
    except (TemplateProblem, SiteBuildError) as error:
        print(f"{error}\nthe build failed; site/ was left as it was", file=sys.stderr)
    except BriefingError as error:
        print(error, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
