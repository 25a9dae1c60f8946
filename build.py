#!/usr/bin/env python3
"""briefing's command line: parses arguments, calls the library, maps errors to exit codes."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing import report
from briefing.diagram import print_diagram
from briefing.errors import (
    BriefingError,
    ContentError,
    PdfBuildError,
    SiteBuildError,
    TemplateProblem,
)
from briefing.pdf import PAPERS, build_pdf_dir, build_pdfs
from briefing.pipeline import Project, check, usable_cores


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        checked = check(project, usable_cores())
    except ContentError as error:
        if args.format != "github":
            raise
        for problem in error.problems:
            print(report.annotation(problem))
        step_summary(report.summary_markdown(error.problems))
        print(problems_found(len(error.problems)), file=sys.stderr)
        return 1
    sheets = len(checked.corpus.sheets)
    statements = sum(len(s.statements) for s in checked.corpus.sheets)
    elapsed = time.perf_counter() - started
    plural = "s" * (statements != 1)
    ok = f"ok: {sheets} sheets, {statements} statement{plural} checked in {elapsed:.2f} s"
    print(ok)
    if args.format == "github":
        step_summary(report.summary_markdown((), ok))
    return 0


def step_summary(markdown: str) -> None:
    """Append to GitHub's job summary when running in GitHub Actions."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        report.append_summary(Path(path), markdown)


def problems_found(count: int) -> str:
    return f"{count} problem{'s' * (count != 1)} found; nothing was built"


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    from briefing.site import build_site

    started = time.perf_counter()
    # Content problems are reported before MkDocs starts; the hook renders what this checked.
    checked = check(project, usable_cores())
    site_dir = args.site_dir or project.root / "site"
    before = _identity(site_dir)

    def pdfs(staging: Path) -> None:
        build_pdfs(
            project,
            checked,
            staging / "pdf",
            paper=args.paper,
            diagram=print_diagram,
            jobs=args.jobs,
        )

    with _reports_publishing(site_dir, before):
        build_site(project, site_dir, verbose=args.verbose, pdfs=pdfs, checked=checked)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"built {site_dir} from {len(checked.corpus.sheets)} sheets in {elapsed:.2f} s")
    return 0


def cmd_coverage(project: Project, args: argparse.Namespace) -> int:
    from briefing.coverage import coverage, percent_label
    from briefing.coverage import report as coverage_report

    results = coverage(check(project, usable_cores()))
    print("\n".join(coverage_report(results)))
    below = [r for r in results if args.fail_under is not None and r.below(args.fail_under)]
    for result in below:
        print(
            f"coverage of '{result.source_id}' is {percent_label(result.percent)}, "
            f"under --fail-under {args.fail_under:g}",
            file=sys.stderr,
        )
    return 1 if below else 0


def cmd_pdf(project: Project, args: argparse.Namespace) -> int:
    started = time.perf_counter()
    checked = check(project, usable_cores())
    out = args.out or project.root / "site" / "pdf"
    with _reports_publishing(out, _identity(out)):
        written = build_pdf_dir(
            project, checked, out, paper=args.paper, diagram=print_diagram, jobs=args.jobs
        )
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


def cmd_schema(project: Project, args: argparse.Namespace) -> int:
    from briefing import schema

    if args.check:
        stale = schema.stale_schemas(project.root) + schema.missing_modelines(project.root)
        for message in stale:
            print(message, file=sys.stderr)
        if stale:
            return 1
        print(f"ok: {len(schema.expected_files())} schema files and every modeline up to date")
        return 0
    for name in schema.write_schemas(project.root):
        print(f"wrote {name}")
    if args.modelines:
        for name in schema.add_modelines(project.root):
            print(f"added the modeline to {name}")
    return 0


def cmd_new(project: Project, args: argparse.Namespace) -> int:
    from briefing.scaffold import new_sheet

    made = new_sheet(project.root, args.kind, args.id, datetime.date.today())
    for name in made.created:
        print(f"created {name}")
    if len(made.created) > 1:
        print(f"paste the source's full text, as published, into {made.created[1]}")
    print(f"fill in: {', '.join(made.fill_in)} (replace each TODO)")
    print(f"optional, commented out: {', '.join(made.optional)}")
    print("then run: python build.py check")
    return 0


def cmd_diff(project: Project, args: argparse.Namespace) -> int:
    from briefing.diff import diff_revisions

    diff = diff_revisions(project.root, args.base, args.head)
    if args.json:
        print(json.dumps(diff.as_json(), indent=2, ensure_ascii=False))
    else:
        print(report.diff_markdown(diff), end="")
    return 0


def cmd_bench(project: Project, args: argparse.Namespace) -> int:
    from briefing import bench
    from briefing.bench_report import report as bench_table

    if args.serve:
        from briefing.bench_serve import serve_latency

        result = serve_latency(runs=args.runs, sheets=args.serve_sheets, seed=args.seed)
        seconds = ", ".join(f"{s:.2f}" for s in result["latencies"])
        corpus = f"{args.serve_sheets} synthetic sheets" if args.serve_sheets else "content/"
        print(f"live preview of {corpus}: server up in {result['startup']:.1f} s")
        median, count = result["median"], len(result["latencies"])
        print(f"edit -> page shows it in {median:.2f} s (median of {count}: {seconds})")
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
    print(bench_table(rows))
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
    check_parser.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="text: path:line:col: message (default); github: workflow annotations, "
        "and a table in $GITHUB_STEP_SUMMARY when it is set",
    )
    check_parser.set_defaults(run=cmd_check)
    cover = sub.add_parser(
        "coverage", help="check, then show which source sentences no statement quotes"
    )
    cover.add_argument(
        "--fail-under",
        type=float,
        metavar="N",
        help="exit 1 if the coverage of any source is under N percent",
    )
    cover.set_defaults(run=cmd_coverage)
    serve = sub.add_parser("serve", help="live preview; reloads on edits to sheets and templates")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(run=cmd_serve)
    schema = sub.add_parser(
        "schema", help="write schema/<kind>.schema.json from briefing/contract.py"
    )
    schema.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a schema file or a sheet's modeline is out of date",
    )
    schema.add_argument(
        "--modelines",
        action="store_true",
        help="also put the '# yaml-language-server: $schema=...' line atop every sheet",
    )
    schema.set_defaults(run=cmd_schema)
    new = sub.add_parser("new", help="write a new sheet that passes check, with TODOs to fill in")
    new.add_argument("kind", metavar="KIND", help="source, actor, relation, event or briefing")
    new.add_argument("id", metavar="ID", help="the new sheet's id, e.g. north-korea")
    new.set_defaults(run=cmd_new)
    diff = sub.add_parser(
        "diff", help="fact changes between two git revisions, as Markdown for a PR comment"
    )
    diff.add_argument("base", metavar="BASE", help="the revision to compare from, e.g. main")
    diff.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        help="the revision to compare to (default: the working tree, as check sees it)",
    )
    diff.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    diff.set_defaults(run=cmd_diff)
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
    bench.add_argument(
        "--serve-sheets",
        type=int,
        metavar="N",
        help="with --serve: a synthetic corpus of N sheets instead of a copy of content/",
    )
    bench.set_defaults(run=cmd_bench)
    args = parser.parse_args(argv)
    if args.command is None:  # plain `build.py` builds
        args = parser.parse_args([*argv, "build"])
    return args.run, args


class Terminated(KeyboardInterrupt):
    """SIGTERM (CI systems send it on cancel), unwound like Ctrl-C so the build cleans up."""


class StoppedAfterPublishing(KeyboardInterrupt):
    """A stop that arrived after the new folder was complete and in place."""

    def __init__(self, folder: Path, terminated: bool) -> None:
        super().__init__(folder)
        self.folder = folder
        self.terminated = terminated


def _identity(folder: Path) -> tuple[int, int] | None:
    """The folder's device and inode: publishing a new one changes them."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


@contextmanager
def _reports_publishing(folder: Path, before: tuple[int, int] | None) -> Iterator[None]:
    """Tell a stop before publishing (nothing changed) from one after (the new folder is in)."""
    try:
        yield
    except KeyboardInterrupt as stop:
        now = _identity(folder)
        if now is not None and now != before:
            raise StoppedAfterPublishing(folder, isinstance(stop, Terminated)) from stop
        raise


def _on_stop(main_pid: int) -> Callable[[int, object], None]:
    """SIGINT raises KeyboardInterrupt and SIGTERM Terminated, in this process only.

    Ctrl-C in a terminal (and a CI cancel) signals the whole process group: a forked worker
    then ends as the signal's default action ends it, quietly; the build cleans up here.
    """

    def handler(signum: int, frame: object) -> None:
        if os.getpid() != main_pid:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Terminated if signum == signal.SIGTERM else KeyboardInterrupt

    return handler


def main(argv: list[str] | None = None) -> int:
    command, args = parse_args(sys.argv[1:] if argv is None else argv)
    handler = _on_stop(os.getpid())
    previous = {stop: signal.signal(stop, handler) for stop in (signal.SIGINT, signal.SIGTERM)}
    try:
        return command(Project(args.root.resolve()), args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(problems_found(len(error.problems)), file=sys.stderr)
    except (TemplateProblem, SiteBuildError, PdfBuildError) as error:
        print(f"{error}\nthe build failed; site/ was left as it was", file=sys.stderr)
    except BriefingError as error:
        print(error, file=sys.stderr)
    except KeyboardInterrupt as stop:
        # The build cleans up as it unwinds: no half-built site or PDFs are left.
        terminated = isinstance(stop, Terminated)
        if isinstance(stop, StoppedAfterPublishing):
            terminated = stop.terminated
            done = f"{stop.folder} had already been replaced by the complete new build"
        else:
            done = "site/ and the PDFs were left as they were"
        print(f"{'terminated' if terminated else 'interrupted'}; {done}", file=sys.stderr)
        return 143 if terminated else 130
    finally:
        for stop, action in previous.items():
            signal.signal(stop, action)
    return 1


if __name__ == "__main__":
    sys.exit(main())
