"""Run a GitHub workflow job's `run:` steps locally, as a runner would, in a fresh clone.

Only what the project's workflows use is understood; anything else (a step key, an
expression, a shell option) raises Unknown, so a change to a workflow cannot be skipped
silently: the test that runs it fails and names what to teach this module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STEP_KEYS = {"name", "id", "if", "env", "run", "uses", "with"}
JOB_KEYS = {
    "runs-on",
    "container",
    "timeout-minutes",
    "permissions",
    "steps",
    "needs",
    "environment",
}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||[!()])|(?P<name>[A-Za-z_][\w.-]*))"
)
STATUS_FUNCTIONS = ("success", "failure", "cancelled", "always")


class Unknown(Exception):
    """An expression, key or construct this runner does not know."""


Value = str | bool | None


class Evaluator:
    """A tiny GitHub Actions expression evaluator: property paths, 'strings', ==, !=, !, &&,
    ||, parentheses and the status functions. A path not in `values` raises Unknown."""

    def __init__(self, values: dict[str, str], failed: bool = False) -> None:
        self.values = values
        self.failed = failed

    def tokens(self, text: str) -> list[str]:
        tokens, position = [], 0
        text = text.rstrip()
        while position < len(text):
            match = TOKEN.match(text, position)
            if not match or match.end() == position:
                raise Unknown(
                    f"cannot read the expression {text!r} at {text[position:].lstrip()!r}"
                )
            tokens.append(match.group(match.lastgroup or ""))
            position = match.end()
        return tokens

    def evaluate(self, text: str) -> Value:
        self._tokens = self.tokens(text)
        self._text = text
        value = self._or()
        if self._tokens:
            raise Unknown(f"unexpected {self._tokens[0]!r} in {text!r}")
        return value

    def _take(self, token: str) -> bool:
        if self._tokens and self._tokens[0] == token:
            self._tokens.pop(0)
            return True
        return False

    def _or(self) -> Value:
        value = self._and()
        while self._take("||"):
            right = self._and()
            value = value or right
        return value

    def _and(self) -> Value:
        value = self._compare()
        while self._take("&&"):
            right = self._compare()
            value = value and right
        return value

    def _compare(self) -> Value:
        value = self._unary()
        for op in ("==", "!="):
            if self._take(op):
                right = self._unary()
                return (value == right) if op == "==" else (value != right)
        return value

    def _unary(self) -> Value:
        if self._take("!"):
            return not self._unary()
        return self._atom()

    def _atom(self) -> Value:
        if not self._tokens:
            raise Unknown(f"the expression {self._text!r} ends too early")
        token = self._tokens.pop(0)
        if token == "(":
            value = self._or()
            if not self._take(")"):
                raise Unknown(f"missing ')' in {self._text!r}")
            return value
        if token.startswith("'"):
            return token[1:-1].replace("''", "'")
        if token in STATUS_FUNCTIONS and self._take("("):
            if not self._take(")"):
                raise Unknown(f"{token}() takes no argument in {self._text!r}")
            return {"success": not self.failed, "failure": self.failed}.get(
                token, token == "always"
            )
        if token in self.values:
            return self.values[token]
        raise Unknown(f"unknown expression {token!r} in {self._text!r}")


def substitute(text: str, evaluator: Evaluator) -> str:
    """Replace every ${{ ... }} in text by its value, as GitHub does before a step runs."""

    def value(match: re.Match[str]) -> str:
        result = evaluator.evaluate(match.group(1))
        return "" if result is None else str(result).lower() if isinstance(result, bool) else result

    return EXPRESSION.sub(value, text)


def condition(text: str, evaluator: Evaluator) -> bool:
    """A step's `if:`; without a status function GitHub adds `success() &&` in front."""
    whole = re.fullmatch(r"\s*\$\{\{(.*)\}\}\s*", text, re.DOTALL)
    expression = whole.group(1) if whole else text
    if EXPRESSION.search(expression):
        raise Unknown(f"an if: mixing text and expressions: {text!r}")
    if not any(re.search(rf"\b{name}\(", expression) for name in STATUS_FUNCTIONS):
        expression = f"success() && ({expression})"
    return bool(evaluator.evaluate(expression))


def read_file_commands(path: Path) -> Iterator[tuple[str, str]]:
    """NAME=value and NAME<<DELIMITER lines, as written to GITHUB_ENV and GITHUB_OUTPUT."""
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for part in lines:
                if part == delimiter:
                    break
                body.append(part)
            else:
                raise Unknown(f"{path.name}: no closing {delimiter!r}")
            yield name, "\n".join(body)
        elif line:
            name, _, value = line.partition("=")
            yield name, value


@dataclass
class StepRun:
    name: str
    seconds: float
    outcome: str  # success, failure or skipped
    summary: str = ""
    output: str = ""


@dataclass
class JobRun:
    steps: list[StepRun] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)


def clean_environment(extra: dict[str, str]) -> dict[str, str]:
    """This machine's environment without the test's own interpreter and pytest's variables,
    so the steps find `python3` and create their own .venv as on a runner."""
    own = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("PYTEST", "GITHUB_", "RUNNER_", "VIRTUAL_ENV", "PYTHONPATH", "ACTIONS_")
        )
    }
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != own)
    env.update(extra)
    return env


def run_job(
    job: dict[str, Any],
    workspace: Path,
    env: dict[str, str],
    values: dict[str, str],
    stand_ins: dict[str, str],
) -> JobRun:
    """Run the job's `run:` steps in order with `bash -e {0}`; `uses:` steps are recorded as
    skipped, and a step whose `run:` is a key of stand_ins runs its value instead. A failing
    step raises AssertionError with its output."""
    if set(job) - JOB_KEYS:
        raise Unknown(f"job keys {sorted(set(job) - JOB_KEYS)}")
    temp = Path(env["RUNNER_TEMP"])
    job_env = dict(env)
    values = dict(values)
    result = JobRun()
    for number, step in enumerate(job["steps"]):
        if set(step) - STEP_KEYS:
            raise Unknown(f"step keys {sorted(set(step) - STEP_KEYS)} in {step}")
        name = step.get("name") or step.get("uses") or step["run"].splitlines()[0]
        evaluator = Evaluator(values)
        runs = condition(step.get("if", "success()"), evaluator)
        step_env = {key: substitute(value, evaluator) for key, value in step.get("env", {}).items()}
        if not runs or "uses" in step:
            reason = "uses: an action" if runs else "if: false"
            result.steps.append(StepRun(name, 0.0, "skipped", output=reason))
            if step.get("id"):
                values[f"steps.{step['id']}.outcome"] = "skipped"
            continue
        files = {}
        for kind in ("output", "env", "path", "step_summary"):
            files[kind] = temp / f"_runner_file_commands/{kind}_{number}"
            files[kind].parent.mkdir(parents=True, exist_ok=True)
            files[kind].write_text("", encoding="utf-8")
        script = temp / f"step_{number}.sh"
        command = stand_ins.get(step["run"], step["run"])
        script.write_text(substitute(command, evaluator), encoding="utf-8")
        environment = {
            **job_env,
            **step_env,
            **{f"GITHUB_{kind.upper()}": str(path) for kind, path in files.items()},
        }
        started = time.monotonic()
        process = subprocess.run(
            ["bash", "-e", str(script)],
            cwd=workspace,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        seconds = time.monotonic() - started
        summary = files["step_summary"].read_text(encoding="utf-8")
        result.steps.append(StepRun(name, seconds, "success", summary, process.stdout))
        assert process.returncode == 0, (
            f"step {name!r} exited {process.returncode}:\n{process.stdout}"
        )
        if step.get("id"):
            values[f"steps.{step['id']}.outcome"] = "success"
            for key, value in read_file_commands(files["output"]):
                values[f"steps.{step['id']}.outputs.{key}"] = value
        job_env.update(read_file_commands(files["env"]))
        for line in files["path"].read_text(encoding="utf-8").splitlines():
            job_env["PATH"] = line + os.pathsep + job_env["PATH"]
    return result


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Workflow Test", "-c", "user.email=test@example.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def fresh_clone(root: Path, base: Path) -> Path:
    """The working tree as a developer has it before committing (tracked and untracked files
    that are not ignored, without deleted ones), committed as `main` in a new repository,
    then cloned, so the clone has `origin/main` as checkout with fetch-depth 0 gives it."""
    listed = git(root, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    source = base / "origin"
    for name in sorted(set(filter(None, listed.split("\0")))):
        path = root / name
        # A deleted file is still listed as cached; a symlinked folder (a shared .venv) is
        # a machine's set-up, not the project's.
        if not path.exists() or (path.is_symlink() and path.is_dir()):
            continue
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target, follow_symlinks=False)
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "the working tree under test")
    clone = base / "workspace"
    git(base, "clone", "-q", str(source), str(clone))
    return clone
