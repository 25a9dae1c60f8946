#!/usr/bin/env python3
"""briefing's command line: parses arguments, calls the library, maps errors to exit codes."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefing.errors import (
    BriefingError,
    ContentError,
    PdfBuildError,
    SiteBuildError,
    TemplateProblem,
)
from briefing.pdf import PAPERS, build_pdf_dir, build_pdfs
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

    def pdfs(staging: Path) -> None:
        build_pdfs(project, checked, staging / "pdf", paper=args.paper, jobs=args.jobs)

    build_site(project, site_dir, verbose=args.verbose, extra=pdfs)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"built {site_dir} from {len(checked.corpus.sheets)} sheets in {elapsed:.2f} s")
    return 0


def cmd_pdf(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    checked = check(project)
    out = args.out or project.root / "site" / "pdf"
    written = build_pdf_dir(project, checked, out, paper=args.paper, jobs=args.jobs)
    if not args.quiet:
        pages = sum(w.pages for w in written)
        elapsed = time.perf_counter() - started
        print(f"wrote {len(written)} PDFs ({pages} pages) to {out} in {elapsed:.2f} s")
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from briefing.site import serve

    check(project)
    serve(project, args.dev_addr)
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
    build.add_argument("--paper", choices=PAPERS, default="a4", help="PDF page size")
    build.add_argument("-j", "--jobs", type=int, help="PDFs laid out at once (default: CPUs)")
    build.set_defaults(run=cmd_build)
    pdf = sub.add_parser("pdf", help="check the content, then build only the PDFs (site/pdf/)")
    pdf.add_argument("--out", type=Path, help="where to write them (default: ROOT/site/pdf)")
    pdf.add_argument("--paper", choices=PAPERS, default="a4", help="page size (default: a4)")
    pdf.add_argument("-j", "--jobs", type=int, help="PDFs laid out at once (default: CPUs)")
    pdf.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    pdf.set_defaults(run=cmd_pdf)
    check_parser = sub.add_parser("check", help="load, validate, link and verify; build nothing")
    check_parser.set_defaults(run=cmd_check)
    serve = sub.add_parser("serve", help="live preview; reloads on edits to sheets and templates")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(run=cmd_serve)
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
    except (TemplateProblem, SiteBuildError, PdfBuildError) as error:
        print(f"{error}\nthe build failed; site/ was left as it was", file=sys.stderr)
    except BriefingError as error:
        print(error, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
