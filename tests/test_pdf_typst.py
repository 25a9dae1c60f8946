"""The Typst print engine (briefing/pdf/typeset.py): what it must do that WeasyPrint does by
itself or never had to. The PDFs both engines make are read alike in tests/test_pdf*.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.model.errors import PdfBuildError
from briefing.pdf import layout, typeset
from briefing.pdf.cache import shared_key
from briefing.present.places import PRINT_ENGINES
from briefing.project import Project
from tests.helpers import ROOT, make_corpus
from tests.test_pdf import FILES, build, flat, text

# Typst markup and code, as an analyst might paste it: each must print as written.
TYPST_SYNTAX = [
    '#eval("1+1")',
    "*bold*",
    "_em_",
    "$x^2$",
    "<lbl>",
    "@ref",
    "// c",
    "/* d */",
    "[br]",
    "\\\\",
    '#import "x.typ"',
    '#read("/etc/passwd")',
    "`raw`",
    "= heading",
    "- item",
]
HOSTILE = " ".join(TYPST_SYNTAX)
# A title may not hold '<' or '>' (the check refuses HTML in titles).
TITLE = " ".join(part for part in TYPST_SYNTAX if "<" not in part)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The test corpus with Typst syntax in a briefing's title and a statement's text, quote
    and attribution (and so in the source's text)."""
    said = f"Ukrainian officials {HOSTILE} believe the troops are preparing to join."
    files = dict(FILES)
    relation = files["content/relations/china-russia-trade.yaml"]
    believed = "Ukrainian officials believe the troops are preparing to join the invading forces."
    for field, value in (("text", said), ("quote", said)):
        relation = relation.replace(f"{field}: {believed}", f"{field}: {json.dumps(value)}")
    relation = relation.replace(
        "attributed_to: Ukrainian officials", f"attributed_to: {json.dumps('Officials ' + HOSTILE)}"
    )
    assert relation.count("#eval") == 3  # the three fields were replaced
    files["content/relations/china-russia-trade.yaml"] = relation
    files["content/briefings/quiet.yaml"] = files["content/briefings/quiet.yaml"].replace(
        "title: Quiet", f"title: {json.dumps('Quiet ' + TITLE)}"
    )
    project = make_corpus(tmp_path_factory.mktemp("hostile"), files)
    source = project.content / "sources" / "article.txt"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{said}\n", encoding="utf-8")
    return project


def test_typst_syntax_in_a_sheet_prints_as_written(hostile: Project) -> None:
    pdfs = build(hostile, hostile.root / "site" / "pdf", engine="typst")
    # Compared without spaces: a long title breaks lines anywhere (after "/etc/", say).
    content = squeezed(text(pdfs / "briefings/quiet.pdf"))
    assert content.count(squeezed(HOSTILE)) >= 3, content  # the statement, quote, attribution
    assert content.count(squeezed(f"Officials {HOSTILE}")) == 1, content
    assert content.count(squeezed(f"Quiet {TITLE}")) >= 1, content  # the title
    assert squeezed(f"Quiet {TITLE}") in squeezed(text(pdfs / "briefing-book.pdf"))


def squeezed(value: str) -> str:
    return "".join(value.split())


def test_the_body_is_handed_over_as_xml_and_svgs_apart() -> None:
    html = (
        "<html><head><title>T &amp; t</title></head><body class='bf-single'>"
        "<p>a<br>b &lt;#x&gt;</p><figure><?xml version='1.0'?>"
        '<svg width="2" height="2" viewBox="0 0 2 2"><rect width="1" height="1"/>'
        "<text>Label</text></svg></figure></body></html>"
    )
    body, svgs, title, text = typeset.handed_over(html)
    assert title == "T & t" and text == "ab <#x>T & tLabel"  # a diagram's labels count too
    assert body == (
        '<body class="bf-single"><p>a<br/>b &lt;#x&gt;</p><figure><bf-svg n="0"/></figure></body>'
    )
    # The SVG keeps its case (viewBox) and gains the namespace Typst's reader needs.
    assert svgs == [
        '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2" viewBox="0 0 2 2">'
        '<rect width="1" height="1"/><text>Label</text></svg>'
    ]


@pytest.mark.parametrize(
    "appended, message",
    [
        # An unknown font family: Typst warns and falls back, as a typo in print.typ would.
        ('#text(font: "No Such Font")[x]', r"^pdf/x\.pdf: Typst warned: .*(?i:no such font)"),
        # A file outside templates/print/: Typst refuses, and so does the build.
        ('#read("/etc/passwd")', r"^pdf/x\.pdf: Typst failed on the print stylesheet"),
    ],
    ids=["warning", "error"],
)
def test_a_typst_warning_or_error_fails_the_pdf(
    tmp_path: Path, appended: str, message: str
) -> None:
    project = make_corpus(tmp_path, FILES)
    style = project.templates / "print" / typeset.TEMPLATE
    style.write_text(style.read_text(encoding="utf-8") + f"\n{appended}\n")
    printer = layout.printer(project, "a4", "typst")
    with pytest.raises(PdfBuildError, match=message):
        layout.render_pdf(project, "<html><body><p>x</p></body></html>", printer, "pdf/x.pdf", [])


def test_the_engines_do_not_share_cached_pdfs(tmp_path: Path) -> None:
    # The same stylesheet text for both: only the engine's name and versions tell them apart.
    folder = make_corpus(tmp_path, FILES).templates / "print"
    keys = {engine: shared_key(engine, "style", folder, None) for engine in PRINT_ENGINES}
    assert keys["weasyprint"] != keys["typst"]


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    project = make_corpus(tmp_path, FILES)
    with pytest.raises(PdfBuildError, match="unknown print engine 'latex'; use one of: weasy"):
        layout.printer(project, "a4", "latex")


def test_both_engines_print_the_same_statements(tmp_path: Path) -> None:
    """The same HTML: every statement and quote is in both engines' PDF of a briefing."""
    project = make_corpus(tmp_path, FILES)
    corpus = check(project).corpus
    words = {}
    for engine in ("weasyprint", "typst"):
        pdfs = build(project, tmp_path / engine, engine=engine)
        words[engine] = flat(text(pdfs / "briefings/overview.pdf"))
    for statement in ("china#trade", "war#risk", "china-russia-trade#believe"):
        value = flat(corpus.statement(statement).text.value)
        assert value in words["weasyprint"] and value in words["typst"], statement


def test_a_process_that_laid_out_with_typst_can_build_again(tmp_path: Path) -> None:
    """Typst's first compile starts threads, and a process forked after that hangs on its own
    first compile: so nothing compiles in the calling process. Here one process lays out a
    PDF, then builds every PDF with two forked workers, twice; each must end."""
    project = make_corpus(tmp_path, FILES)
    script = f"""
from pathlib import Path
from briefing.check.checker import check
from briefing.pdf import layout
from briefing.project import Project
project = Project(Path({str(project.root)!r}))
printer = layout.printer(project, "a4", "typst")
html = "<html><head><title>T</title></head><body class='bf-single'><p>x</p></body></html>"
layout.render_pdf(project, html, printer, "pdf/x.pdf", [])
for n in (1, 2):
    layout.build_pdfs(project, check(project), Path({str(tmp_path)!r}) / str(n),
                      jobs=2, use_cache=False, engine="typst")
print("built twice")
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "built twice"


def test_a_project_without_print_typ_fails_before_the_site_is_built(tmp_path: Path) -> None:
    """A project whose templates/ predate Typst: the build says what to do, at once."""
    project = make_corpus(tmp_path, FILES)
    (project.templates / "print" / typeset.TEMPLATE).unlink()
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "build"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    path = project.templates / "print" / typeset.TEMPLATE
    assert done.returncode == 1
    assert done.stderr == (
        f"{path}: cannot read the Typst print stylesheet (No such file or directory); copy "
        "templates/print/print.typ from briefing into the project's templates/print/, or lay "
        "the PDFs out with --print-engine weasyprint\n"
        "the build failed; site/ was left as it was\n"
    )
    assert not (project.root / "site").exists()


@pytest.mark.parametrize("per_worker, processes", [(1, 3), (2, 2), (10, 1)])
def test_a_typst_worker_is_replaced_after_its_share_of_documents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_worker: int, processes: int
) -> None:
    """Typst's memo of recent compiles grows a worker by some 10 MB a document: a fresh
    worker takes over after TYPST_DOCUMENTS_PER_WORKER of them."""
    project = make_corpus(tmp_path, FILES)

    def which_process(*args: object) -> tuple[bytes, int]:  # inherited by the forked workers
        return str(os.getpid()).encode(), 1

    monkeypatch.setattr(typeset, "lay_out", which_process)
    monkeypatch.setattr(layout, "TYPST_DOCUMENTS_PER_WORKER", per_worker)
    printer = layout.printer(project, "a4", "typst")
    htmls = {f"{n}.pdf": "<html><body><p>x</p></body></html>" for n in range(3)}
    done = layout.render_all(project, printer, htmls, jobs=1, notices=[])
    assert len({data for data, _, _ in done.values()}) == processes
    assert str(os.getpid()).encode() not in {data for data, _, _ in done.values()}
