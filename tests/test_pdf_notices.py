"""WeasyPrint warnings: a problem fails the build, an environment notice prints once.

WeasyPrint's own code logs every warning here: the fallback is taken by setting the
library handle WeasyPrint checks before subsetting (weasyprint.pdf.fonts.harfbuzz_subset)
to None, as it is when libharfbuzz-subset0 is not installed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.model.errors import PdfBuildError
from briefing.pdf.weasy import render_pdf, stylesheet
from briefing.project import Project
from tests.helpers import ROOT, make_corpus

FALLBACK = (
    "notice: WeasyPrint subsets fonts with fontTools because libharfbuzz-subset0 is missing; "
    "install it with scripts/system-deps.sh (or apt-get install libharfbuzz-subset0)\n"
)
HTML = "<p>Text in <b>DejaVu Serif</b></p><p style='font-family: \"DejaVu Sans\"'>Sans</p>"
# Runs build.py as `python build.py ...` would, with WeasyPrint on its fontTools fallback.
WITHOUT_SUBSET = """\
import runpy, sys
import weasyprint.pdf.fonts
weasyprint.pdf.fonts.harfbuzz_subset = None
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_corpus(tmp_path_factory.mktemp("notices"))


@pytest.fixture
def without_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.pdf.fonts

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)


def test_with_harfbuzz_subset_there_is_no_notice(project: Project) -> None:
    import weasyprint.pdf.fonts

    if weasyprint.pdf.fonts.harfbuzz_subset is None:
        pytest.fail("libharfbuzz-subset0 is not installed; run scripts/system-deps.sh")
    notices: list[str] = []
    render_pdf(project, HTML, stylesheet(project, "a4"), "pdf/x.pdf", notices)
    assert notices == []


@pytest.mark.usefixtures("without_subset")
def test_the_fonttools_fallback_is_a_notice_not_a_problem(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    notices: list[str] = []
    data, pages = render_pdf(project, HTML, stylesheet(project, "a4"), "pdf/x.pdf", notices)
    assert data.startswith(b"%PDF") and pages == 1
    # WeasyPrint warned once per font subset (Serif regular and bold, Sans): one notice each.
    assert notices == [FALLBACK.removeprefix("notice: ").rstrip("\n")] * 3
    assert capsys.readouterr().err == ""
    render_pdf(project, HTML, stylesheet(project, "a4"), "pdf/x.pdf")
    assert capsys.readouterr().err == FALLBACK  # printed, once, when no list is given


@pytest.mark.usefixtures("without_subset")
def test_a_problem_still_fails_and_is_located_beside_a_notice(project: Project) -> None:
    css = stylesheet(project, "a4") + "p { frobnicate: 1 }\n"
    line = css.count("\n")
    with pytest.raises(PdfBuildError) as failed:
        render_pdf(project, HTML, css, "pdf/x.pdf", [])
    assert str(failed.value) == (
        f"pdf/x.pdf:\nwarning: Ignored `frobnicate: 1 ` at {line}:5, unknown property."
    )


def test_a_deprecated_prefix_is_a_notice_with_its_fix(project: Project) -> None:
    notices: list[str] = []
    render_pdf(project, "<p>x</p>", "p { -weasy-hyphens: auto }", "pdf/x.pdf", notices)
    assert notices == [
        "the print stylesheet's -weasy-hyphens (at 1:5) is deprecated in WeasyPrint, which "
        "still applies it; write hyphens instead"
    ]


def test_an_unknown_prefix_is_still_a_problem(project: Project) -> None:
    with pytest.raises(PdfBuildError) as failed:
        render_pdf(project, "<p>x</p>", "p { -weasy-frob: 1 }", "pdf/x.pdf", [])
    assert str(failed.value) == (
        "pdf/x.pdf:\nwarning: Ignored `-weasy-frob: 1 ` at 1:5, prefix on this attribute is not "
        "supported, use 'frob' instead."
    )


def build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_SUBSET, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_build_prints_the_notice_once_and_succeeds(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    for command in (["pdf", "-q", "-j", "2"], ["pdf", "-q", "-j", "1"], ["build", "-q"]):
        ran = build(project.root, *command, "--print-engine", "weasyprint")
        assert (ran.returncode, ran.stderr, ran.stdout) == (0, FALLBACK, ""), command
    assert (project.root / "site/pdf/briefing-book.pdf").is_file()


def test_build_with_a_problem_exits_1_naming_it(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    css = project.templates / "print" / "print.css"
    css.write_text(css.read_text() + "p { frobnicate: 1 }\n")
    line = css.read_text().count("\n")
    ran = build(project.root, "pdf", "-j", "2", "--print-engine", "weasyprint")
    assert ran.returncode == 1
    assert f"warning: Ignored `frobnicate: 1 ` at {line}:5, unknown property." in ran.stderr
    assert "notice:" not in ran.stderr and "Traceback" not in ran.stderr
