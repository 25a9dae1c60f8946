"""Problems as GitHub Actions sees them: workflow annotations and a job-summary table.

GitHub reads `::error file=...,line=...,col=...,title=...::message` lines from a step's
output and shows each at its line in the pull request (at most 10 per step and 50 per job,
so the job summary carries the full list).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from briefing.errors import Problem

TITLE = "briefing check"
# A step summary may hold 1 MiB; a table of this many rows stays far below it.
MAX_SUMMARY_ROWS = 1000


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does (% \\r \\n)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (% \\r \\n : ,)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as an '::error' workflow command."""
    loc = problem.loc
    fields = {"file": loc.path, "line": loc.line, "col": loc.col, "title": TITLE}
    properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in fields.items())
    return f"::error {properties}::{escape_data(problem.message)}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no HTML, no pipes, one line."""
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


def summary_markdown(problems: Sequence[Problem], ok_line: str = "") -> str:
    """The job-summary section: a table of every problem, or the ok line."""
    if not problems:
        return f"### {TITLE}\n\n{ok_line or 'No problems.'}\n"
    count = len(problems)
    lines = [
        f"### {TITLE}",
        "",
        f"{count} problem{'s' * (count != 1)} found.",
        "",
        "| File | Line | Col | Problem |",
        "| --- | ---: | ---: | --- |",
    ]
    for problem in problems[:MAX_SUMMARY_ROWS]:
        loc = problem.loc
        lines.append(f"| {_cell(loc.path)} | {loc.line} | {loc.col} | {_cell(problem.message)} |")
    if count > MAX_SUMMARY_ROWS:
        lines += ["", f"{count - MAX_SUMMARY_ROWS} more; run `python build.py check` to see all."]
    return "\n".join(lines) + "\n"


def append_summary(path: Path, markdown: str) -> None:
    """Append to the file GitHub shows as the job summary ($GITHUB_STEP_SUMMARY)."""
    with path.open("a", encoding="utf-8") as summary:
        summary.write(markdown)
