"""The workflows' `run:` steps, executed in order in a fresh clone as a GitHub runner would.

The clone is the working tree under test (see workflow_run.fresh_clone). Skipped: `uses:`
actions (checkout, artifact uploads, deploy, github-script against the real API) and the
test suite itself (`make test`), whose install half runs in its place (`make lint`), so the
steps after it find .venv as on a runner. The github-script JavaScript runs under node
against a stub of `github` and `context`. What still runs only on GitHub is listed in
CONTRIBUTING.md ("The workflows, and what has not run on GitHub").
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT, read_yaml, step_using
from tests.workflow_run import (
    Evaluator,
    JobRun,
    Unknown,
    clean_environment,
    condition,
    fresh_clone,
    git,
    run_job,
    substitute,
)

PAGES = ROOT / ".github/workflows/pages.yml"
PR = ROOT / ".github/workflows/pr.yml"
REPOSITORY = "example/briefing"
EDIT = " (edited in a test)"
PUSH_VALUES = {"github.base_ref": "", "github.head_ref": "", "github.repository": REPOSITORY}
PR_VALUES = {
    "github.base_ref": "main",
    "github.head_ref": "change",
    "github.repository": REPOSITORY,
    "github.event.pull_request.number": "1",
    "github.event.pull_request.head.repo.full_name": REPOSITORY,
}


def test_the_evaluator_knows_the_workflows_expressions() -> None:
    evaluator = Evaluator({**PR_VALUES, "steps.diff.outcome": "success"})
    assert substitute("origin/${{ github.base_ref }}", evaluator) == "origin/main"
    assert evaluator.evaluate("!cancelled()") is True
    assert evaluator.evaluate("steps.diff.outcome == 'success'") is True
    assert evaluator.evaluate("(github.base_ref != 'main') || !always()") is False
    assert condition("${{ github.base_ref == 'main' }}", Evaluator(PR_VALUES, failed=True)) is False
    assert condition("${{ !cancelled() }}", Evaluator(PR_VALUES, failed=True)) is True


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("github.token", "unknown expression 'github.token' in 'github.token'"),
        ("hashFiles('x')", "unknown expression 'hashFiles' in \"hashFiles('x')\""),
        (
            "github.base_ref > 'a'",
            "cannot read the expression \"github.base_ref > 'a'\" at \"> 'a'\"",
        ),
        ("!cancelled() &&", "the expression '!cancelled() &&' ends too early"),
    ],
)
def test_an_unknown_expression_fails(expression: str, message: str) -> None:
    with pytest.raises(Unknown) as error:
        Evaluator(PR_VALUES).evaluate(expression)
    assert str(error.value) == message


def test_the_comment_is_posted_only_from_the_repository_itself() -> None:
    step = step_using(read_yaml(PR), "actions/github-script")
    values = {**PR_VALUES, "steps.diff.outcome": "success"}
    assert condition(step["if"], Evaluator(values)) is True
    fork = {**values, "github.event.pull_request.head.repo.full_name": "someone/briefing"}
    assert condition(step["if"], Evaluator(fork)) is False
    assert condition(step["if"], Evaluator({**values, "steps.diff.outcome": "failure"})) is False


def runner_env(
    base: Path, workspace: Path, event: str, ref: str, payload: object
) -> dict[str, str]:
    temp = base / "runner-temp"
    temp.mkdir()
    event_path = temp / "event.json"
    event_path.write_text(json.dumps(payload), encoding="utf-8")
    return clean_environment(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(event_path),
            "GITHUB_REF": ref,
            "GITHUB_SHA": git(workspace, "rev-parse", "HEAD").strip(),
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_REPOSITORY_OWNER": REPOSITORY.split("/")[0],
            "GITHUB_RUN_ID": "1",
            "GITHUB_RUN_NUMBER": "1",
            "GITHUB_SERVER_URL": "https://github.com",
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(temp),
        }
    )


def report(run: JobRun) -> str:
    return "\n".join(f"{s.seconds:7.1f} s  {s.outcome:8} {s.name}" for s in run.steps)


@pytest.mark.slow
def test_the_pages_workflow_builds_the_site(tmp_path: Path) -> None:
    workspace = fresh_clone(ROOT, tmp_path)
    assert not (workspace / ".venv").exists()
    env = runner_env(tmp_path, workspace, "push", "refs/heads/main", {"ref": "refs/heads/main"})
    env |= {"GITHUB_REF_NAME": "main", "GITHUB_WORKFLOW": "pages", "GITHUB_JOB": "build"}
    jobs = read_yaml(PAGES)["jobs"]
    build = run_job(jobs["build"], workspace, env, PUSH_VALUES, stand_ins={})
    print("\npages.yml build:\n" + report(build))
    assert [(s.outcome, s.output if s.outcome == "skipped" else "") for s in build.steps] == [
        ("skipped", "uses: an action"),  # checkout
        ("success", ""),  # system packages
        ("success", ""),  # make site
        ("skipped", "uses: an action"),  # upload-pages-artifact
    ]
    assert (workspace / "site/index.html").is_file()
    assert sorted(workspace.glob("site/**/*.pdf")) != []
    deploy = run_job(jobs["deploy"], workspace, env, PUSH_VALUES, stand_ins={})
    assert [s.outcome for s in deploy.steps] == ["skipped"]


def change_a_statement(workspace: Path) -> tuple[str, str, str, str]:
    """Append to the first one-line statement text of a sheet that is not a source; returns
    the sheet's path, the statement id, and the old and new text."""
    for path in sorted((workspace / "content").rglob("*.yaml")):
        if path.parent.name == "sources":
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for number, line in enumerate(lines):
            match = re.fullmatch(r"( +)text: ([^|>'\"\s][^#]*?)\n", line)
            if not match or len(match.group(1)) < 2:
                continue
            item = re.compile(rf"{match.group(1)[:-2]}- id: (\S+)\n")
            ids = [m.group(1) for m in map(item.fullmatch, lines[:number]) if m]
            if not ids:
                continue
            old = match.group(2)
            lines[number] = f"{match.group(1)}text: {old}{EDIT}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return str(path.relative_to(workspace)), ids[-1], old, old + EDIT
    raise AssertionError("no sheet has a one-line statement text to change")


@pytest.mark.slow
def test_the_pull_request_workflow_checks_builds_and_lists_the_fact_change(tmp_path: Path) -> None:
    workspace = fresh_clone(ROOT, tmp_path)
    git(workspace, "checkout", "-q", "-b", "change")
    sheet, statement, old, new = change_a_statement(workspace)
    git(workspace, "commit", "-q", "-am", "Change a statement")
    payload = {
        "number": 1,
        "pull_request": {"number": 1, "head": {"ref": "change", "repo": {"full_name": REPOSITORY}}},
    }
    env = runner_env(tmp_path, workspace, "pull_request", "refs/pull/1/merge", payload)
    env |= {"GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "change", "GITHUB_REF_NAME": "1/merge"}
    env |= {"GITHUB_WORKFLOW": "pull request", "GITHUB_JOB": "check"}
    job = read_yaml(PR)["jobs"]["check"]
    # make test is this suite; its install half (the .venv the next steps use) runs instead.
    run = run_job(job, workspace, env, PR_VALUES, stand_ins={"make test": "make lint"})
    print("\npr.yml check:\n" + report(run))
    assert [(s.outcome, s.output if s.outcome == "skipped" else "") for s in run.steps] == [
        ("skipped", "uses: an action"),  # checkout
        ("success", ""),  # system packages
        ("success", ""),  # make test's stand-in
        ("success", ""),  # check --format github
        ("success", ""),  # make site
        ("skipped", "uses: an action"),  # upload-artifact
        ("success", ""),  # build.py diff
        # Its if: was true (same repository, the diff step succeeded): only the action is skipped.
        ("skipped", "uses: an action"),  # github-script
    ]
    [check] = [s for s in run.steps if s.name == "Check the content"]
    assert re.fullmatch(
        r"### briefing check\n\nok: \d+ sheets, \d+ statements checked in \d+\.\d\d s\n",
        check.summary,
    ), check.summary
    assert (workspace / "site/index.html").is_file()
    facts = (workspace / "fact-changes.md").read_text(encoding="utf-8")
    assert facts.startswith("## Fact changes: `origin/main` → `HEAD`\n")
    kind = Path(sheet).parent.name.removesuffix("s")
    assert f"- {kind} `{Path(sheet).stem}` (`{sheet}`): " in facts
    assert f"  - changed statement `{statement}`:\n    - text: `{old}` → `{new}`\n" in facts
    [diff] = [s for s in run.steps if s.name == "Summarise the fact changes"]
    assert diff.summary == facts
    assert run.summary == check.summary + facts


# Runs the github-script step's JavaScript as actions/github-script does (an async function
# given require, github and context), with a github stub that records each call.
HARNESS = """
const fs = require('fs');
const comments = JSON.parse(process.env.COMMENTS);
const calls = [];
const issues = {
  listComments: () => { throw new Error('only through paginate'); },
  createComment: async (args) => { calls.push(['createComment', args]); },
  updateComment: async (args) => { calls.push(['updateComment', args]); },
};
const github = {
  rest: { issues },
  paginate: async (method, args) => {
    calls.push([method === issues.listComments ? 'paginate listComments' : 'paginate ?', args]);
    return comments;
  },
};
const context = { repo: { owner: 'example', repo: 'briefing' }, issue: { number: 7 } };
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
new AsyncFunction('require', 'github', 'context', fs.readFileSync(process.argv[2], 'utf8'))(
  require, github, context,
).then(() => console.log(JSON.stringify(calls)), (e) => { console.error(e); process.exit(1); });
"""
NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None, reason="node is not installed (the project does not install it)")
@pytest.mark.parametrize("existing", [False, True], ids=["creates", "updates"])
def test_the_comment_script_creates_then_updates_its_comment(
    tmp_path: Path, existing: bool
) -> None:
    assert NODE is not None
    script = step_using(read_yaml(PR), "actions/github-script")["with"]["script"]
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    (tmp_path / "fact-changes.md").write_text("## Fact changes\n", encoding="utf-8")
    marker = "<!-- briefing-fact-changes -->"
    comments = [
        {"id": 40, "user": {"login": "someone"}, "body": f"{marker}\nquoted"},
        {"id": 41, "user": {"login": "github-actions[bot]"}, "body": "another bot comment"},
    ]
    if existing:
        comments.append(
            {"id": 42, "user": {"login": "github-actions[bot]"}, "body": f"{marker}\nold"}
        )
    result = subprocess.run(
        [NODE, "harness.js", "script.js"],
        cwd=tmp_path,
        env={"COMMENTS": json.dumps(comments), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    repo = {"owner": "example", "repo": "briefing"}
    body = f"{marker}\n## Fact changes\n"
    listed = ["paginate listComments", {**repo, "issue_number": 7, "per_page": 100}]
    if existing:
        wrote = ["updateComment", {**repo, "comment_id": 42, "body": body}]
    else:
        wrote = ["createComment", {**repo, "issue_number": 7, "body": body}]
    assert json.loads(result.stdout) == [listed, wrote]


def test_the_runner_passes_env_and_outputs_on_and_stops_at_a_failing_step(tmp_path: Path) -> None:
    (tmp_path / "temp").mkdir()
    env = clean_environment({"RUNNER_TEMP": str(tmp_path / "temp")})
    job = {
        "runs-on": "ubuntu-24.04",
        "steps": [
            {
                "id": "a",
                "run": 'echo "NAME=one" >> "$GITHUB_ENV"\necho "x<<END\nline\nEND" >> "$GITHUB_OUTPUT"',
            },
            {
                "if": "${{ steps.a.outputs.x == 'line' }}",
                "env": {"B": "${{ github.base_ref }}"},
                "run": 'echo "$NAME $B" >> "$GITHUB_STEP_SUMMARY"',
            },
            {"if": "steps.a.outcome != 'success'", "run": "exit 1"},
        ],
    }
    run = run_job(job, tmp_path, env, {"github.base_ref": "main"}, stand_ins={})
    assert [(s.outcome, s.summary) for s in run.steps] == [
        ("success", ""),
        ("success", "one main\n"),
        ("skipped", ""),
    ]
    job["steps"].append({"name": "fails", "run": "echo no\nfalse\necho not reached"})
    with pytest.raises(AssertionError) as error:
        run_job(job, tmp_path, env, {"github.base_ref": "main"}, stand_ins={})
    assert str(error.value) == "step 'fails' exited 1:\nno\n"
    job["steps"][0]["shell"] = "sh"
    with pytest.raises(Unknown, match=r"^step keys \['shell'\] in "):
        run_job(job, tmp_path, env, {}, stand_ins={})


def test_the_fresh_clone_is_the_working_tree(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    files = {".gitignore": "ignored\n", "kept": "1\n", "changed": "old\n", "deleted": "x\n"}
    for name, text in files.items():
        (tree / name).write_text(text, encoding="utf-8")
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "base")
    (tree / "changed").write_text("new\n", encoding="utf-8")
    (tree / "deleted").unlink()
    (tree / "untracked").write_text("u\n", encoding="utf-8")
    (tree / "ignored").write_text("i\n", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tree / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "out").mkdir()
    clone = fresh_clone(tree, tmp_path / "out")
    assert git(clone, "ls-files").split() == [".gitignore", "changed", "kept", "untracked"]
    assert (clone / "changed").read_text(encoding="utf-8") == "new\n"
    assert git(clone, "rev-parse", "--abbrev-ref", "HEAD", "origin/main").split() == [
        "main",
        "origin/main",
    ]
