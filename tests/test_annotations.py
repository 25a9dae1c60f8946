"""`check --format github`: workflow annotations and the job-summary table."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.cli import main
from briefing.editing.report import annotation, escape_data, escape_property, summary_markdown
from briefing.model.errors import Loc, Problem
from tests.helpers import make_corpus

ESCAPES = [
    (escape_data, "plain text", "plain text"),
    (escape_data, "50% of\r\ntrade", "50%25 of%0D%0Atrade"),
    (escape_data, "a, b: c", "a, b: c"),
    (escape_property, "content/a,b:c.yaml", "content/a%2Cb%3Ac.yaml"),
    (escape_property, "100%\n", "100%25%0A"),
]


@pytest.mark.parametrize(("escape", "text", "expected"), ESCAPES)
def test_escapes_follow_githubs_rules(escape, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert escape(text) == expected


def test_annotation_names_file_line_and_column() -> None:
    problem = Problem(Loc("content/actors/a,b.yaml", 12, 5), "unknown field 'x': 50%\nsee")
    assert annotation(problem) == (
        "::error file=content/actors/a%2Cb.yaml,line=12,col=5,title=briefing check::"
        "unknown field 'x': 50%25%0Asee"
    )


def test_summary_table_escapes_markup() -> None:
    problems = [Problem(Loc("content/actors/x.yaml", 2, 7), "got '<b>a|b</b>' &\nmore")]
    assert summary_markdown(problems) == (
        "### briefing check\n"
        "\n"
        "1 problem found.\n"
        "\n"
        "| File | Line | Col | Problem |\n"
        "| --- | ---: | ---: | --- |\n"
        "| content/actors/x.yaml | 2 | 7 | got '&lt;b&gt;a\\|b&lt;/b&gt;' &amp; more |\n"
    )


BAD = {
    "content/actors/iran.yaml": """\
        id: iran
        name: Iran
        type: state
        summary: Supplies [[rusia]].
        colour: green
        """,
}


def test_github_format_prints_annotations_and_appends_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, BAD)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "::error file=content/actors/iran.yaml,line=4,col=10,title=briefing check::"
        "unknown reference 'rusia' (did you mean 'russia'?)",
        "::error file=content/actors/iran.yaml,line=5,col=1,title=briefing check::"
        "unknown field 'colour' in actor (allowed: id, name, summary, type, aliases, "
        "editorial_aliases, role, interests, tags, review_by, statements)",
    ]
    assert err == "2 problems found; nothing was built\n"
    assert summary.read_text() == (
        "earlier step\n"
        "### briefing check\n"
        "\n"
        "2 problems found.\n"
        "\n"
        "| File | Line | Col | Problem |\n"
        "| --- | ---: | ---: | --- |\n"
        "| content/actors/iran.yaml | 4 | 10 | unknown reference 'rusia' (did you mean "
        "'russia'?) |\n"
        "| content/actors/iran.yaml | 5 | 1 | unknown field 'colour' in actor (allowed: id, "
        "name, summary, type, aliases, editorial_aliases, role, interests, tags, review_by, statements) |\n"
    )


def test_github_format_reports_link_problems_too(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    sheet = BAD["content/actors/iran.yaml"].replace("        colour: green\n", "")
    project = make_corpus(tmp_path, {"content/actors/iran.yaml": sheet})
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=content/actors/iran.yaml,line=4,col=10,title=briefing check::"
        "unknown reference 'rusia' (did you mean 'russia'?)\n"
    )


def test_github_format_on_success_writes_an_ok_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["--root", str(project.root), "check", "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: 3 sheets, 1 statement checked in ")
    assert summary.read_text() == f"### briefing check\n\n{out}"


def test_default_format_stays_path_line_col(
    tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    project = make_corpus(tmp_path, BAD)
    assert main(["--root", str(project.root), "check"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "content/actors/iran.yaml:4:10: unknown reference 'rusia' (did you mean 'russia'?)",
        "content/actors/iran.yaml:5:1: unknown field 'colour' in actor (allowed: id, name, "
        "summary, type, aliases, editorial_aliases, role, interests, tags, review_by, statements)",
        "2 problems found; nothing was built",
    ]
    assert not summary.exists()
