"""`build.py diff BASE [HEAD]` on a scripted git history."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.cli import main
from briefing.editing.report import code, word_diff
from briefing.project import Project
from tests.helpers import make_corpus, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

NORTH_KOREA = """\
    id: north-korea
    name: North Korea
    type: state
    summary: Sends troops to [[russia]].
    statements:
      - id: troops
        text: Ukrainian officials believe the troops are preparing to join the invading forces.
        kind: attributed
        attributed_to: Ukrainian officials
        source: article
        quote: Ukrainian officials believe the troops are preparing to join the invading forces.
    """
EVENT = """\
    id: record-trade
    title: Record trade
    date: "2023"
    summary: Trade between [[china]] and [[russia]] reached a record.
    actors: [china, russia]
    """
IRAN = """\
    id: iran
    name: Iran
    type: state
    summary: Watches the Middle East.
    statements:
      - id: energy
        text: A wider war in the Middle East could puncture energy markets.
        kind: forecast
        source: article
        quote: A wider war in the Middle East could puncture energy markets.
    """


def git(root: Path, *args: str) -> str:
    """Run git in root with a fixed identity and no signing; return its output."""
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    command = ["git", "-C", str(root), *identity, "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def commit(project: Project, message: str) -> None:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", message)


@pytest.fixture
def history(tmp_path: Path) -> Project:
    """Five commits: a base corpus, then an addition, a removal, a quote change, a rename."""
    project = make_corpus(
        tmp_path,
        {"content/actors/north-korea.yaml": NORTH_KOREA, "content/events/record-trade.yaml": EVENT},
    )
    git(project.root, "init", "-q", "-b", "main")
    commit(project, "base")
    write_files(project.root, {"content/actors/iran.yaml": IRAN})
    commit(project, "add iran")
    (project.content / "events/record-trade.yaml").unlink()
    commit(project, "remove the event")
    china = project.content / "actors/china.yaml"
    china.write_text(
        china.read_text()
        .replace(
            "    quote: Trade between China and Russia reached a record $240 billion",
            "    quote: Trade between China and Russia reached a record",
        )
        .replace(
            "kind: reported",
            "kind: reported\n    figures:\n      - value: '240'\n        unit: billion USD\n        what: trade",
        )
    )
    # A problem from here on: the shortened quote no longer prints the figure's 240.
    commit(project, "shorten a quote, add a figure")
    git(project.root, "mv", "content/actors/north-korea.yaml", "content/actors/dprk.yaml")
    dprk = project.content / "actors/dprk.yaml"
    dprk.write_text(dprk.read_text().replace("id: north-korea", "id: dprk"))
    russia = project.content / "actors/russia.yaml"
    russia.write_text(russia.read_text().replace("[[china]].", "[[china]] and [[north-korea]]."))
    commit(project, "rename north-korea to dprk; russia still names north-korea")
    return project


def run_diff(project: Project, capsys: pytest.CaptureFixture, *args: str) -> str:
    assert main(["--root", str(project.root), "diff", *args]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


EVERYTHING = """\
## Fact changes: `HEAD~4` → `HEAD`

Sheets: 1 added, 1 removed, 1 renamed, 2 otherwise changed. Statements: 1 added, 0 removed, 1 changed. References: 1 broken, 0 created, 0 removed.

### Added sheets

- actor `iran` (`content/actors/iran.yaml`): `Iran`
  - summary: `Watches the Middle East.`
  - type: `state`
  - statement `energy` (forecast, source `article`): `A wider war in the Middle East could puncture energy markets.`
    - quote: `A wider war in the Middle East could puncture energy markets.`

### Removed sheets

- event `record-trade` (`content/events/record-trade.yaml`): `Record trade`, 0 statements

### Changed sheets

- actor `china` (`content/actors/china.yaml`): `China`
  - changed statement `trade`:
    - quote: `Trade between China and Russia reached a record $240 billion last year.` → `Trade between China and Russia reached a record last year.`
    - figures: *(none)* → `240 billion USD: trade`
- actor `dprk`, renamed from `north-korea` (`content/actors/north-korea.yaml` → `content/actors/dprk.yaml`): `North Korea`
- actor `russia` (`content/actors/russia.yaml`): `Russia`
  - summary: `Trades with [[china]].` → `Trades with [[china]] and [[north-korea]].`

### References

- broken: `russia` → `north-korea` at `content/actors/russia.yaml:4:10`: `` unknown reference 'north-korea': no sheet has this id yet; write it with `briefing new KIND north-korea` (KIND: briefing, actor, relation, event, source), or correct the id ``

`HEAD` has 2 problems. `python build.py check` lists them.
"""


def test_diff_over_history_shows_every_kind_of_change(
    history: Project, capsys: pytest.CaptureFixture
) -> None:
    assert run_diff(history, capsys, "HEAD~4", "HEAD") == EVERYTHING


def test_diff_of_one_commit(history: Project, capsys: pytest.CaptureFixture) -> None:
    assert run_diff(history, capsys, "HEAD~3", "HEAD~2") == (
        "## Fact changes: `HEAD~3` → `HEAD~2`\n"
        "\n"
        "Sheets: 0 added, 1 removed, 0 renamed, 0 otherwise changed. Statements: 0 added, "
        "0 removed, 0 changed. References: 0 broken, 0 created, 0 removed.\n"
        "\n"
        "### Removed sheets\n"
        "\n"
        "- event `record-trade` (`content/events/record-trade.yaml`): `Record trade`, "
        "0 statements\n"
    )


def test_renaming_a_sheet_back_fixes_the_reference(
    history: Project, capsys: pytest.CaptureFixture
) -> None:
    russia = history.content / "actors/russia.yaml"
    russia.write_text(russia.read_text().replace("[[north-korea]]", "[[dprk]]"))
    # Without HEAD the working tree is compared: the uncommitted fix shows.
    assert run_diff(history, capsys, "HEAD") == (
        "## Fact changes: `HEAD` → `working tree`\n"
        "\n"
        "Sheets: 0 added, 0 removed, 0 renamed, 1 otherwise changed. Statements: 0 added, "
        "0 removed, 0 changed. References: 0 broken, 1 created, 0 removed.\n"
        "\n"
        "### Changed sheets\n"
        "\n"
        "- actor `russia` (`content/actors/russia.yaml`): `Russia`\n"
        "  - summary: `Trades with [[china]] and [[north-korea]].` → "
        "`Trades with [[china]] and [[dprk]].`\n"
        "\n"
        "### References\n"
        "\n"
        "- created: `russia` → `dprk`\n"
        "\n"
        "`HEAD` has 2 problems. `python build.py check` lists them.\n"
        "\n"
        "`working tree` has 1 problem. `python build.py check` lists them.\n"
    )


def test_diff_json(history: Project, capsys: pytest.CaptureFixture) -> None:
    data = json.loads(run_diff(history, capsys, "HEAD~4", "HEAD", "--json"))
    assert [s["id"] for s in data["added"]] == ["iran"]
    assert [s["id"] for s in data["removed"]] == ["record-trade"]
    assert [(s["id"], s["renamed_from"]) for s in data["changed"]] == [
        ("china", ""),
        ("dprk", "north-korea"),
        ("russia", ""),
    ]
    assert data["changed"][0]["changed"] == [
        {
            "id": "trade",
            "changes": [
                {
                    "field": "quote",
                    "old": "Trade between China and Russia reached a record $240 billion last year.",
                    "new": "Trade between China and Russia reached a record last year.",
                },
                {"field": "figures", "old": "", "new": "240 billion USD: trade"},
            ],
        }
    ]
    assert data["broken"] == [
        {
            "source": "russia",
            "target": "north-korea",
            "where": "content/actors/russia.yaml:4:10",
            "message": (
                "unknown reference 'north-korea': no sheet has this id yet; write it with "
                "`briefing new KIND north-korea` (KIND: briefing, actor, relation, event, "
                "source), or correct the id"
            ),
        }
    ]
    assert (data["base"], data["head"], data["problems_base"], data["problems_head"]) == (
        "HEAD~4",
        "HEAD",
        0,
        2,
    )


def test_a_sheet_moved_to_another_kind_is_the_same_sheet(
    history: Project, capsys: pytest.CaptureFixture
) -> None:
    (history.content / "actors/iran.yaml").unlink()
    event = 'id: iran\ntitle: Iran\ndate: "2024"\nsummary: Watches the Middle East.\n'
    write_files(history.root, {"content/events/iran.yaml": event})
    out = run_diff(history, capsys, "HEAD")
    assert out.split("### Changed sheets\n\n")[1].split("\n\n")[0].splitlines() == [
        "- event `iran` (`content/actors/iran.yaml` → `content/events/iran.yaml`): `Iran`",
        "  - kind: `actor` → `event`",
        "  - name: `Iran` → *(none)*",
        "  - type: `state` → *(none)*",
        "  - title: *(none)* → `Iran`",
        "  - date: *(none)* → `2024`",
        "  - removed statement `energy`: "
        "`A wider war in the Middle East could puncture energy markets.`",
    ]
    assert "### Added sheets" not in out and "### Removed sheets" not in out


def test_a_sheet_that_stops_validating_is_not_reported_removed(
    history: Project, capsys: pytest.CaptureFixture
) -> None:
    iran = history.content / "actors/iran.yaml"
    iran.write_text(iran.read_text().replace("type: state", "type: empire"))
    assert run_diff(history, capsys, "HEAD") == (
        "## Fact changes: `HEAD` → `working tree`\n"
        "\n"
        "No fact changes.\n"
        "\n"
        "`HEAD` has 2 problems. `python build.py check` lists them.\n"
        "\n"
        "`working tree` has 3 problems; these sheets were not compared: "
        "`content/actors/iran.yaml`. `python build.py check` lists them.\n"
    )


def test_diff_refuses_unknown_revisions_and_non_repositories(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--root", str(history.root), "diff", "no-such-branch"]) == 1
    assert capsys.readouterr().err == (
        "unknown revision 'no-such-branch'; name a commit, branch or tag "
        "(in a shallow clone, fetch the history first: git fetch --unshallow)\n"
    )
    assert main(["--root", str(history.root), "diff", "--", "--output=x"]) == 1
    assert "unknown revision '--output=x'" in capsys.readouterr().err
    plain = tmp_path / "plain"
    plain.mkdir()
    assert main(["--root", str(plain), "diff", "HEAD"]) == 1
    assert capsys.readouterr().err.startswith("git rev-parse failed: fatal: not a git repository")


def test_export_ignores_gitattributes_export_rules(
    history: Project, capsys: pytest.CaptureFixture
) -> None:
    write_files(history.root, {".gitattributes": "content/** export-ignore\n"})
    commit(history, "export-ignore everything")
    assert run_diff(history, capsys, "HEAD~1", "HEAD") == (
        "## Fact changes: `HEAD~1` → `HEAD`\n\nNo fact changes.\n\n"
        "`HEAD~1` has 2 problems. `python build.py check` lists them.\n\n"
        "`HEAD` has 2 problems. `python build.py check` lists them.\n"
    )


CODE_SPANS = [
    ("plain", "`plain`"),
    ("@octocat <b>hi</b>", "`@octocat <b>hi</b>`"),
    ("a `tick` here", "`` a `tick` here ``"),
    ("two\nlines", "`two lines`"),
    ("", "*(none)*"),
]


@pytest.mark.parametrize(("text", "expected"), CODE_SPANS)
def test_values_are_inert_code_spans(text: str, expected: str) -> None:
    assert code(text) == expected


def test_word_diff() -> None:
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"
