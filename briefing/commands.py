"""What each command does: check, build, pdf, coverage, serve, schema, new, diff, bench.

Each takes the project and the parsed arguments and returns the exit code; errors the
library raises on purpose are mapped to messages and codes by briefing.cli. A command
imports what only it needs when it runs: `briefing check` does not load the site engine,
Jinja or WeasyPrint (0.25 s of a fresh process's check, docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.check.checker import check
from briefing.forked import usable_cores
from briefing.model.errors import (
    ContentError,
)
from briefing.project import Project


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


def cmd_check(project: Project, args: argparse.Namespace) -> int:
    from briefing.editing import report

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
    # Warnings and review notices do not fail the check, except with --strict.
    told = [*checked.warnings, *checked.notices]
    for problem in told:
        print(report.annotation(problem) if args.format == "github" else problem, file=sys.stderr)
    if args.strict and told:
        print(
            f"{len(told)} warning{'s' * (len(told) != 1)} or notices; --strict fails on them",
            file=sys.stderr,
        )
        return 1
    print(ok)
    if args.format == "github":
        step_summary(report.summary_markdown((), ok))
    return 0


def step_summary(markdown: str) -> None:
    """Append to GitHub's job summary when running in GitHub Actions."""
    from briefing.editing import report

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        report.append_summary(Path(path), markdown)


def problems_found(count: int) -> str:
    return f"{count} problem{'s' * (count != 1)} found; nothing was built"


def cmd_build(project: Project, args: argparse.Namespace) -> int:
    from briefing.pipeline import PdfOptions, build_site

    started = time.perf_counter()
    site_dir = args.site_dir or project.root / "site"
    with _reports_publishing(site_dir, _identity(site_dir)):
        built = build_site(
            project,
            site_dir,
            PdfOptions(args.paper, args.jobs, args.print_engine),
            verbose=args.verbose,
            engine=args.engine,
        )
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"built {site_dir} from {built.sheets} sheets in {elapsed:.2f} s")
    return 0


def cmd_coverage(project: Project, args: argparse.Namespace) -> int:
    from briefing.check.coverage import coverage, percent_label
    from briefing.check.coverage import report as coverage_report

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
    from briefing.pdf.layout import build_pdf_dir
    from briefing.web.downloads import fill_pdf_facts

    started = time.perf_counter()
    checked = check(project, usable_cores())
    out = args.out or project.root / "site" / "pdf"
    with _reports_publishing(out, _identity(out)):
        written = build_pdf_dir(
            project, checked, out, paper=args.paper, jobs=args.jobs, engine=args.print_engine
        )
    # A built site beside them lists the PDFs: its pages and sizes follow the new files.
    fill_pdf_facts(out.parent, out, ((w.path, w.pages) for w in written))
    if not args.quiet:
        pages = sum(w.pages for w in written)
        elapsed = time.perf_counter() - started
        print(f"wrote {len(written)} PDFs ({pages} pages) to {out} in {elapsed:.2f} s")
    return 0


def cmd_serve(project: Project, args: argparse.Namespace) -> int:
    from briefing.web.site import serve

    check(project)
    serve(project, args.dev_addr)
    return 0


def cmd_stage(project: Project, args: argparse.Namespace) -> int:
    from briefing.web.stage import stage

    staged = stage(project, args.dir, usable_cores())
    print(
        f"staged {staged.generated} generated and {staged.handwritten} hand-written pages "
        f"in {staged.folder}; build it with: mkdocs build -f {staged.config}"
    )
    return 0


def cmd_schema(project: Project, args: argparse.Namespace) -> int:
    from briefing.editing import schema

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
    from briefing.editing.scaffold import new_sheet

    made = new_sheet(project.root, args.kind, args.id)
    for name in made.created:
        print(f"created {name}")
    if len(made.created) > 1:
        print(f"paste the source's full text, as published, into {made.created[1]}")
    print(f"fill in: {', '.join(made.fill_in)} (replace each TODO)")
    print(f"optional, commented out: {', '.join(made.optional)}")
    print("then run: python build.py check")
    return 0


def cmd_diff(project: Project, args: argparse.Namespace) -> int:
    from briefing.editing import report
    from briefing.editing.diff import diff_revisions

    diff = diff_revisions(project.root, args.base, args.head)
    if args.json:
        print(json.dumps(diff.as_json(), indent=2, ensure_ascii=False))
    else:
        print(report.diff_markdown(diff), end="")
    return 0


def cmd_bench(project: Project, args: argparse.Namespace) -> int:
    from briefing.bench import run as bench
    from briefing.bench.report import report as bench_table

    if args.serve:
        from briefing.bench.serve import serve_latency

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
