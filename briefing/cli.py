"""The command line: parses arguments, runs a command, maps errors to exit codes.

`briefing COMMAND`, `python -m briefing COMMAND` and `python build.py COMMAND` all come here,
through run(), which ends the process as soon as the command is done (exit_now).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from briefing.commands import (
    Command,
    StoppedAfterPublishing,
    Terminated,
    cmd_bench,
    cmd_build,
    cmd_check,
    cmd_coverage,
    cmd_diff,
    cmd_new,
    cmd_pdf,
    cmd_schema,
    cmd_serve,
    cmd_stage,
    problems_found,
)
from briefing.model.errors import (
    BriefingError,
    ContentError,
    PdfBuildError,
    SiteBuildError,
    TemplateProblem,
)
from briefing.present.places import DEFAULT_PRINT_ENGINE, PAPERS, PRINT_ENGINES
from briefing.project import Project
from briefing.web.engine_names import DEFAULT_ENGINE, ENGINE_NAMES


def _program() -> str:
    """The name the user typed: briefing, build.py, or briefing for `python -m briefing`."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "briefing"
    return "briefing" if name in ("__main__.py", "-c", "") else name


def parse_args(argv: list[str], root: Path | None = None) -> tuple[Command, argparse.Namespace]:
    """The command to run and its arguments; root: the default project folder (else here)."""
    parser = argument_parser(root)
    args = parser.parse_args(argv)
    if args.command is None:  # plain `briefing` builds
        args = parser.parse_args([*argv, "build"])
    return args.run, args


def argument_parser(root: Path | None = None) -> argparse.ArgumentParser:
    """Every command and option; root: the default project folder (else here)."""
    parser = argparse.ArgumentParser(
        prog=_program(), description="Build the briefing site from the YAML sheets in content/."
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=root or Path.cwd(),
        help="project folder holding mkdocs.yml, content/ and templates/ (default: this folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="check the content, then build site/ (the default)")
    build.add_argument("--site-dir", type=Path, help="where to build (default: ROOT/site)")
    build.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' progress")
    build.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build.add_argument("--paper", choices=PAPERS, default="a4", help="PDF page size")
    build.add_argument(
        "--print-engine",
        choices=PRINT_ENGINES,
        default=DEFAULT_PRINT_ENGINE,
        help=f"what lays out the PDFs (default: {DEFAULT_PRINT_ENGINE}; docs/pdf.md)",
    )
    build.add_argument("-j", "--jobs", type=int, help="PDFs laid out at once (default: CPUs)")
    build.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=DEFAULT_ENGINE,
        help="the site engine (default: mkdocs; docs/engines.md)",
    )
    build.set_defaults(run=cmd_build)
    pdf = sub.add_parser("pdf", help="check the content, then build only the PDFs (site/pdf/)")
    pdf.add_argument("--out", type=Path, help="where to write them (default: ROOT/site/pdf)")
    pdf.add_argument("--paper", choices=PAPERS, default="a4", help="page size (default: a4)")
    pdf.add_argument(
        "--print-engine",
        choices=PRINT_ENGINES,
        default=DEFAULT_PRINT_ENGINE,
        help=f"what lays out the PDFs (default: {DEFAULT_PRINT_ENGINE}; docs/pdf.md)",
    )
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
    check_parser.add_argument(
        "--strict",
        action="store_true",
        help="also fail (exit 1) on warnings and on sheets past their 'review_by' date",
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
    stage = sub.add_parser(
        "stage", help="check, then write the pages, docs/ and a config without hooks to DIR"
    )
    stage.add_argument("dir", metavar="DIR", type=Path, help="an empty or earlier stage folder")
    stage.set_defaults(run=cmd_stage)
    serve = sub.add_parser("serve", help="live preview; reloads on edits to sheets and templates")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on")
    serve.set_defaults(run=cmd_serve)
    schema = sub.add_parser(
        "schema", help="write schema/<kind>.schema.json from briefing/model/contract.py"
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
    return parser


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


def _stop_again(main_pid: int, default: Callable[[Any], object]) -> Callable[[Any], object]:
    """A sys.unraisablehook that sends a stop again when it was swallowed.

    A signal's handler runs between any two bytecodes, also inside a weakref callback or a
    __del__ (an import lock's, say). An exception raised there cannot propagate: Python
    prints it ("Exception ignored in ...") and carries on, so the build would ignore the
    Ctrl-C. This hook prints nothing for our stop and has the same signal sent again from
    another thread a moment later: the handler runs once this hook has returned (sent from
    here, it would run, and be swallowed, inside the hook). Swallowed again, it is sent again.
    """

    def hook(unraisable: Any) -> None:
        stop = unraisable.exc_value
        if os.getpid() == main_pid and isinstance(stop, KeyboardInterrupt):
            signum = signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT
            again = threading.Timer(0.01, os.kill, (main_pid, signum))
            again.daemon = True
            again.start()
            return
        default(unraisable)

    return hook


def main(argv: list[str] | None = None, next_to: str | None = None) -> int:
    """Run one command; next_to: a file in the project folder (build.py), else it is here."""
    root = Path(next_to).resolve().parent if next_to else None
    command, args = parse_args(sys.argv[1:] if argv is None else argv, root)
    handler = _on_stop(os.getpid())
    previous = {stop: signal.signal(stop, handler) for stop in (signal.SIGINT, signal.SIGTERM)}
    unraisable, sys.unraisablehook = (
        sys.unraisablehook,
        _stop_again(os.getpid(), sys.unraisablehook),
    )
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
        for signum, action in previous.items():
            signal.signal(signum, action)
        sys.unraisablehook = unraisable
    return 1


def run(argv: list[str] | None = None, next_to: str | None = None) -> NoReturn:
    """main(), then the process ends with its exit code (exit_now)."""
    exit_now(main(argv, next_to))


def exit_now(code: int) -> NoReturn:
    """End the process with code, skipping the interpreter's freeing of every object one by
    one, which the system does at once: 0.04 s of a build after an edit at 1,000 sheets.

    What a normal exit would still do is done: the functions registered to run at exit
    (multiprocessing's, concurrent.futures': joining what is left, as they would), the
    logging handlers flushed, the standard streams flushed. Every file, process and thread a
    command makes is closed, reaped or ended before it returns.
    """
    atexit._run_exitfuncs()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # closed, or a pipe nobody reads
            stream.flush()
    os._exit(code)
