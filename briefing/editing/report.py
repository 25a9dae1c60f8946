"""Output for GitHub: problems as workflow annotations and a job-summary table, and the
fact diff as Markdown for a pull-request comment.

GitHub reads `::error file=...,line=...,col=...,title=...::message` lines from a step's
output and shows each at its line in the pull request (at most 10 per step and 50 per job,
so the job summary carries the full list).

In the diff every value from a sheet is put in a code span: Markdown, HTML and @mentions
in a sheet stay inert text in the comment.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from pathlib import Path

from briefing.editing.diff import Change, Diff, RefChange, SheetDiff
from briefing.model.errors import Problem

TITLE = "briefing check"
# A step summary may hold 1 MiB; a table of this many rows stays far below it.
MAX_SUMMARY_ROWS = 1000
# GitHub refuses comments over 65,536 characters.
MAX_COMMENT = 60_000
MAX_VALUE = 400
# Longer old and new values are shown as one word diff instead of both in full.
LONG_VALUE = 100


def escape_data(text: str) -> str:
    """Escape a workflow command's message as GitHub's toolkit does (% \\r \\n)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value (% \\r \\n : ,)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(problem: Problem) -> str:
    """One problem as an '::error' workflow command; a warning ('warning: ...') or notice
    ('notice: ...') of check as '::warning' or '::notice'."""
    loc = problem.loc
    fields = {"file": loc.path, "line": loc.line, "col": loc.col, "title": TITLE}
    properties = ",".join(f"{key}={escape_property(str(value))}" for key, value in fields.items())
    level, _, rest = problem.message.partition(": ")
    if level in ("warning", "notice") and rest:
        return f"::{level} {properties}::{escape_data(rest)}"
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


def code(text: str) -> str:
    """Text as an inline code span, however many backticks it holds; '(none)' if empty."""
    text = " ".join(text.split())
    if not text:
        return "*(none)*"
    if len(text) > MAX_VALUE:
        text = text[: MAX_VALUE - 1] + "…"
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if len(fence) > 1 else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def word_diff(old: str, new: str) -> str:
    """Old and new text as one, with [-removed-] and {+added+} words, like git --word-diff."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out += a[i1:i2]
        if op in ("delete", "replace"):
            out.append(f"[-{' '.join(a[i1:i2])}-]")
        if op in ("insert", "replace"):
            out.append(f"{{+{' '.join(b[j1:j2])}+}}")
    return " ".join(out)


def _change(change: Change) -> str:
    if len(change.old) > LONG_VALUE and len(change.new) > LONG_VALUE:
        return f"{change.field} (word diff): {code(word_diff(change.old, change.new))}"
    return f"{change.field}: {code(change.old)} → {code(change.new)}"


def _statement(verb: str, fields: dict[str, str], indent: str) -> list[str]:
    about = fields.get("kind", "")
    if "source" in fields:
        about += f", source {code(fields['source'])}"
    lines = [
        f"{indent}- {verb}statement {code(fields['id'])} ({about}): {code(fields.get('text', ''))}"
    ]
    for name in ("attributed_to", "quote", "figures", "as_of"):
        if name in fields:
            lines.append(f"{indent}  - {name}: {code(fields[name])}")
    return lines


def _sheet_head(sheet: SheetDiff) -> str:
    path = code(sheet.path)
    if sheet.old_path:
        path = f"{code(sheet.old_path)} → {path}"
    renamed = f", renamed from {code(sheet.renamed_from)}" if sheet.renamed_from else ""
    return f"- {sheet.kind} {code(sheet.id)}{renamed} ({path}): {code(sheet.title)}"


def _changed(sheet: SheetDiff) -> list[str]:
    lines = [_sheet_head(sheet)]
    lines += [f"  - {_change(change)}" for change in sheet.fields]
    for fields in sheet.added:
        lines += _statement("added ", fields, "  ")
    for fields in sheet.removed:
        lines.append(f"  - removed statement {code(fields['id'])}: {code(fields.get('text', ''))}")
    for statement in sheet.changed:
        lines.append(f"  - changed statement {code(statement.id)}:")
        lines += [f"    - {_change(change)}" for change in statement.changes]
    return lines


def _ref(verb: str, ref: RefChange) -> str:
    line = f"- {verb}: {code(ref.source)} → {code(ref.target)}"
    return line + (f" at {code(ref.where)}: {code(ref.message)}" if ref.message else "")


def diff_markdown(diff: Diff) -> str:
    """The fact diff as Markdown for a pull-request comment."""
    renamed = sum(1 for sheet in diff.changed if sheet.renamed_from)
    sheets = [*diff.added, *diff.removed, *diff.changed]
    statements = (
        sum(len(s.added) for s in sheets),
        sum(len(s.removed) for s in sheets),
        sum(len(s.changed) for s in sheets),
    )
    lines = [f"## Fact changes: {code(diff.base)} → {code(diff.head)}", ""]
    if not (sheets or diff.broken or diff.created or diff.dropped):
        lines.append("No fact changes.")
    else:
        lines += [
            f"Sheets: {len(diff.added)} added, {len(diff.removed)} removed, {renamed} renamed, "
            f"{len(diff.changed) - renamed} otherwise changed. Statements: {statements[0]} "
            f"added, {statements[1]} removed, {statements[2]} changed. References: "
            f"{len(diff.broken)} broken, {len(diff.created)} created, {len(diff.dropped)} removed."
        ]
    if diff.added:
        lines += ["", "### Added sheets", ""]
        for sheet in diff.added:
            lines.append(_sheet_head(sheet))
            lines += [f"  - {change.field}: {code(change.new)}" for change in sheet.fields]
            for fields in sheet.added:
                lines += _statement("", fields, "  ")
    if diff.removed:
        lines += ["", "### Removed sheets", ""]
        for sheet in diff.removed:
            n = len(sheet.removed)
            lines.append(f"{_sheet_head(sheet)}, {n} statement{'s' * (n != 1)}")
    if diff.changed:
        lines += ["", "### Changed sheets", ""]
        for sheet in diff.changed:
            lines += _changed(sheet)
    if diff.broken or diff.created or diff.dropped:
        lines += ["", "### References", ""]
        lines += [_ref("broken", ref) for ref in diff.broken]
        lines += [_ref("created", ref) for ref in diff.created]
        lines += [_ref("removed", ref) for ref in diff.dropped]
    for label, paths, count in (
        (diff.base, diff.invalid_base, diff.problems_base),
        (diff.head, diff.invalid_head, diff.problems_head),
    ):
        if count:
            lines += ["", f"{code(label)} has {count} problem{'s' * (count != 1)}"]
            if paths:
                lines[-1] += "; these sheets were not compared: " + ", ".join(map(code, paths))
            lines[-1] += ". `python build.py check` lists them."
    text = "\n".join(lines) + "\n"
    if len(text) > MAX_COMMENT:
        cut = text.rfind("\n", 0, MAX_COMMENT)
        text = text[:cut] + "\n\n… cut short; run `python build.py diff` for the rest.\n"
    return text
