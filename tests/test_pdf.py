"""Stage 7: PDF briefings, read back with pdftotext and pypdf."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from briefing.check.checker import check
from briefing.cli import parse_args
from briefing.model import records
from briefing.model.errors import PdfBuildError, TemplateProblem
from briefing.pdf import documents, layout
from briefing.pdf.layout import build_pdfs, document_html
from briefing.pdf.weasy import local_fetcher, render_pdf, stylesheet
from briefing.present.jinja import environment
from briefing.present.links import SiteLinker
from briefing.present.places import PRINT_ENGINES
from briefing.project import Project
from tests.helpers import ROOT, make_corpus, snapshot

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
PAYLOAD = "<b>bold</b> <img src='https://example.com/x.png'>"

FILES = {
    "content/actors/china.yaml": """\
        id: china
        name: China
        type: state
        aliases: [Beijing]
        summary: A state.
        statements:
          - id: trade
            text: Trade between China and Russia reached a record $240 billion last year.
            kind: reported
            source: article
            quote: Trade between China and Russia reached a record $240 billion last year.
            as_of: "2023-06"
            figures:
              - value: "240"
                unit: billion USD
                what: trade between [[china]] and [[russia]]
                period: last year
        """,
    "content/actors/russia.yaml": f"""\
        id: russia
        name: Russia
        type: state
        summary: {json.dumps(PAYLOAD)}
        """,
    "content/relations/china-russia-trade.yaml": """\
        id: china-russia-trade
        title: China–Russia trade
        summary: Trade between [[china]] and [[russia]].
        actors: [china, russia]
        types: [trade]
        statements:
          - id: believe
            text: Ukrainian officials believe the troops are preparing to join the invading forces.
            kind: attributed
            attributed_to: Ukrainian officials
            source: article
            quote: Ukrainian officials believe the troops are preparing to join the invading forces.
        """,
    "content/events/war.yaml": """\
        id: war
        title: A wider war
        date: "2024"
        date_inferred: The year is inferred for this test.
        summary: A risk.
        actors: [china]
        statements:
          - id: risk
            text: A wider war in the Middle East could puncture energy markets.
            kind: forecast
            source: article
            quote: A wider war in the Middle East could puncture energy markets.
        """,
    "content/briefings/overview.yaml": """\
        id: overview
        title: Overview
        summary: The short of it.
        bluf: Trade binds [[china]] and [[russia]].
        key_judgments: [china#trade, war#risk]
        sections:
          - title: Risks
            text: See [[war#risk]].
            refs: [war, china-russia-trade#believe]
        """,
    "content/briefings/quiet.yaml": """\
        id: quiet
        title: Quiet
        summary: Nothing dated.
        bluf: Officials believe it.
        key_judgments: [china-russia-trade#believe]
        """,
}
KEY_JUDGMENTS = {
    "overview": [
        "Trade between China and Russia reached a record $240 billion last year.",
        "A wider war in the Middle East could puncture energy markets.",
    ],
    "quiet": ["Ukrainian officials believe the troops are preparing to join the invading forces."],
}
PDFS = [
    "briefing-book.pdf",
    "briefings/overview.pdf",
    "briefings/quiet.pdf",
]


def build(project: Project, out: Path, paper: str = "a4", engine: str = "weasyprint") -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_pdfs(project, check(project), out, paper, engine=engine)
    return out


def lay_out(project: Project, html: str, paper: str, engine: str) -> bytes:
    """One print HTML document laid out by engine, as a build would."""
    printer = layout.printer(project, paper, engine)
    return layout.render_pdf(project, html, printer, "pdf/x.pdf", [])[0]


def text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    """The text of a PDF (or one page of it), as pdftotext reads it."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    options = ["-layout"] if layout else []
    return subprocess.run(
        ["pdftotext", *options, *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def images(pdf: Path) -> list[str]:
    """The image XObjects a PDF's pages draw, in form XObjects too (their names)."""
    found: list[str] = []

    def visit(resources: object) -> None:
        if isinstance(resources, pypdf.generic.IndirectObject):
            resources = resources.get_object()
        xobjects = resources.get("/XObject", {}) if isinstance(resources, dict) else {}
        if isinstance(xobjects, pypdf.generic.IndirectObject):
            xobjects = xobjects.get_object()
        for name, ref in xobjects.items():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(name)
            else:
                visit(xobject.get("/Resources"))

    for page in pypdf.PdfReader(pdf).pages:
        visit(page.get("/Resources"))
    return found


def flat(value: str) -> str:
    return " ".join(value.split())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_corpus(tmp_path_factory.mktemp("pdf"), FILES)


@pytest.fixture(scope="module")
def pdfs(project: Project, print_engine: str) -> Path:
    return build(project, project.root / "site" / print_engine / "pdf", engine=print_engine)


def test_one_pdf_per_briefing_and_a_book(pdfs: Path) -> None:
    assert sorted(p.relative_to(pdfs).as_posix() for p in pdfs.rglob("*.pdf")) == PDFS


@pytest.mark.parametrize("name", ["briefings/overview.pdf", "briefings/quiet.pdf"])
def test_briefing_shows_its_key_judgments_and_their_quotes(pdfs: Path, name: str) -> None:
    content = flat(text(pdfs / name))
    for judgment in KEY_JUDGMENTS[Path(name).stem]:
        assert content.count(judgment) >= 2, judgment  # the statement, and its note's quote


def test_briefing_page_one_opens_on_the_bottom_line(project: Project, pdfs: Path) -> None:
    corpus = check(project).corpus
    linker = SiteLinker(corpus, "index.md")
    briefings = [b for b in corpus.sheets if isinstance(b, records.Briefing)]
    assert briefings
    for briefing in briefings:
        first = flat(text(pdfs / f"briefings/{briefing.id}.pdf", page=1))
        bluf = html.unescape(re.sub(r"<[^>]+>", "", linker.rich(briefing.bluf)))
        assert first.startswith(f"BRIEFING {briefing.title} "), first[:80]
        assert "As of" in first and "Sources" in first
        assert f"Bottom line up front {bluf} Key judgments" in first
        for ref in briefing.key_judgments:
            assert flat(corpus.statement(ref.target).text.value) in first, ref.target
        # The key to the statement kinds comes after the briefing, not before it.
        assert "How to read it" not in first.partition("Key judgments")[0]


def test_book_shows_the_briefings_and_what_they_cite(project: Project, pdfs: Path) -> None:
    book = flat(text(pdfs / "briefing-book.pdf"))
    for judgments in KEY_JUDGMENTS.values():
        for judgment in judgments:
            assert book.count(judgment) >= 2, judgment  # the statement, and its note's quote
    corpus = check(project).corpus
    for briefing in corpus.of_kind("briefing"):
        assert briefing.title in book
    assert "240 billion USD" in book and "Figures" in book  # a cited statement's figure
    # Actor profiles are the site's pages: the book does not lay them out again.
    assert "Actor profiles" not in book and "Relations" not in book


def test_cover_dates_and_sources(pdfs: Path) -> None:
    cover = flat(text(pdfs / "briefings/overview.pdf", page=1))
    # Newest of the statement's as_of (2023-06) and the event it draws on (2024).
    assert "As of 2024" in cover and "An article" in cover
    assert "As of undated" in flat(text(pdfs / "briefings/quiet.pdf", page=1))
    assert "As of 2024" in flat(text(pdfs / "briefing-book.pdf", page=1))


def test_running_header_and_page_x_of_y(pdfs: Path) -> None:
    pdf = pdfs / "briefings/overview.pdf"
    pages = len(pypdf.PdfReader(pdf).pages)
    first = [line for line in text(pdf, page=1).splitlines() if line.strip()]
    assert first[0] == "BRIEFING"  # page 1 opens on the title: no running header
    assert f"page 1 of {pages}" in first
    for page in range(2, pages + 1):
        lines = [line for line in text(pdf, page=page).splitlines() if line.strip()]
        assert lines[0].startswith("Overview"), lines[:2]
        assert f"page {page} of {pages}" in lines


def test_book_contents_lists_each_briefing_and_the_back_part(project: Project, pdfs: Path) -> None:
    # Page numbers and links are tested in test_pdf_book.py.
    contents = text(pdfs / "briefing-book.pdf", page=2, layout=True)
    assert "Contents" in contents
    entries = re.findall(r"^\s*(\S.*?)\s*\.{2,}\s*(\d+)\s*$", contents, re.M)
    corpus = check(project).corpus
    briefings = [s.title for s in corpus.sheets if s.kind == "briefing"]
    assert sorted(t for t, _ in entries) == sorted([*briefings, "Figures", "Sources"])


def test_internal_links_are_clickable_and_nothing_links_to_local_files(pdfs: Path) -> None:
    reader = pypdf.PdfReader(pdfs / "briefing-book.pdf")
    internal, uris = 0, []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if "/Dest" in annotation or action.get("/S") == "/GoTo":
                internal += 1
            elif "/URI" in action:
                uris.append(action["/URI"])
    assert internal > 20  # contents, note calls, note back links, [[refs]]
    assert uris == []


def test_notes_number_statements_in_reading_order(pdfs: Path) -> None:
    content = flat(text(pdfs / "briefings/overview.pdf"))
    notes = content[content.rindex("Notes") :]
    assert notes.index("1 “Trade between") < notes.index("2 “A wider war")
    assert notes.index("2 “A wider war") < notes.index("3 “Ukrainian officials")
    assert notes.count("“A wider war") == 1  # cited twice, one note


def test_untrusted_values_stay_text(project: Project) -> None:
    document = documents.actor_document(
        check(project).corpus, check(project).corpus.by_id["russia"]
    )  # type: ignore[arg-type]
    html = document_html(environment(project.templates), document, None)
    assert "<b>bold</b>" not in html and "<img" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;img src=&#39;https://example.com/x.png&#39;&gt;" in html


def test_fonts_are_dejavu_and_embedded(pdfs: Path) -> None:
    listing = subprocess.run(
        ["pdffonts", str(pdfs / "briefing-book.pdf")], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        name, emb = line.split()[0], line.split()[-5]
        assert "DejaVu" in name and emb == "yes", line


def test_two_builds_are_byte_identical(
    project: Project, pdfs: Path, print_engine: str, tmp_path: Path
) -> None:
    # Another checkout of the same content, in another folder: no path leaks into a PDF.
    other = make_corpus(tmp_path, FILES)
    again = build(other, tmp_path / "again", engine=print_engine)
    for name in PDFS:
        assert (again / name).read_bytes() == (pdfs / name).read_bytes(), name
    info = pypdf.PdfReader(pdfs / "briefing-book.pdf").metadata
    assert info is not None and info["/CreationDate"] == "D:20231114221320Z"


@pytest.mark.parametrize("engine", PRINT_ENGINES)
def test_without_source_date_epoch_the_pdf_has_no_date(
    project: Project, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    document = documents.briefing_document(
        check(project).corpus, check(project).corpus.by_id["quiet"]
    )  # type: ignore[arg-type]
    html = document_html(environment(project.templates), document, None)
    data = lay_out(project, html, "a4", engine)
    assert b"CreationDate" not in data and b"ModDate" not in data


def test_letter_option_changes_the_page_size(
    project: Project, pdfs: Path, print_engine: str
) -> None:
    document = documents.briefing_document(
        check(project).corpus, check(project).corpus.by_id["quiet"]
    )  # type: ignore[arg-type]
    html = document_html(environment(project.templates), document, None)
    data = lay_out(project, html, "letter", print_engine)
    letter = project.root / "letter.pdf"
    letter.write_bytes(data)
    box = pypdf.PdfReader(letter).pages[0].mediabox
    assert (round(box.width), round(box.height)) == (612, 792)
    box = pypdf.PdfReader(pdfs / "briefings/quiet.pdf").pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)


@pytest.mark.parametrize("engine", PRINT_ENGINES)
def test_a_diagram_function_is_inlined_as_vector(project: Project, engine: str) -> None:
    corpus = check(project).corpus

    def diagram(corpus: object, sheet: object) -> str:
        return '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="5" y="20" font-family="DejaVu Sans">DIAGRAM-LABEL</text></svg>'

    document = documents.actor_document(corpus, corpus.by_id["china"], diagram)  # type: ignore[arg-type]
    html = document_html(environment(project.templates), document, None)
    data = lay_out(project, html, "a4", engine)
    path = project.root / "diagram.pdf"
    path.write_bytes(data)
    assert text(path).count("DIAGRAM-LABEL") == 2  # China's and the relation's chapter
    assert images(path) == []  # vector, not a picture
    with pytest.raises(TemplateProblem, match="the diagram for 'china' is not an SVG document"):
        documents.actor_document(corpus, corpus.by_id["china"], lambda c, s: "<html></html>")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/x.png",
        "http://127.0.0.1/x.css",
        "data:text/css,body{}",
        "file:///etc/passwd",
        "file://example.com/project/templates/print/print.css",
    ],
)
def test_fetcher_refuses_everything_but_project_files(project: Project, url: str) -> None:
    fetcher = local_fetcher(project.root)
    with pytest.raises(PdfBuildError, match="only use project files"):
        fetcher(url)
    inside = (project.templates / "print" / "print.css").as_uri()
    assert b"@page" in fetcher(inside).read()


def test_a_refused_fetch_fails_the_pdf(project: Project) -> None:
    css = '@import url("https://example.com/evil.css");\n' + stylesheet(project, "a4")
    with pytest.raises(
        PdfBuildError, match=re.escape("refused to fetch https://example.com/evil.css")
    ):
        render_pdf(project, "<p>x</p>", css, "pdf/x.pdf")


def test_weasyprint_warnings_fail_every_pdf(project: Project) -> None:
    for name in ("pdf/x.pdf", "pdf/y.pdf"):  # the parsed stylesheet is reused, its warning too
        with pytest.raises(PdfBuildError, match=rf"^{name}:\nwarning: [^\n]*frobnicate[^\n]*$"):
            render_pdf(project, "<p>x</p>", "p { frobnicate: 1 }", name)


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


# Per print engine: its stylesheet, a line that breaks it, and what the failure says.
BROKEN_STYLESHEETS = {
    "weasyprint": (
        "print.css",
        '@import url("https://example.com/evil.css");',
        "refused to fetch https://example.com/evil.css",
    ),
    "typst": (
        "print.typ",
        '#read("/etc/passwd")',
        "Typst failed on the print stylesheet",
    ),
}


@pytest.mark.parametrize("engine", PRINT_ENGINES)
def test_cli_pdf_and_a_pdf_failure_keeps_the_previous_site(tmp_path: Path, engine: str) -> None:
    project = make_corpus(tmp_path, FILES)
    chosen = ("--print-engine", engine)
    built = run(project.root, "build", "-q", *chosen)
    assert built.returncode == 0, built.stderr
    site = project.root / "site"
    assert (site / "pdf/briefing-book.pdf").is_file() and (
        site / "pdf/briefings/overview.pdf"
    ).is_file()
    assert not (site / "pdf/actors").exists()  # actor pages print from the browser
    assert "Download PDF" not in (site / "actors/china/index.html").read_text()
    page = (site / "briefings/overview/index.html").read_text()
    assert 'href="../../pdf/briefings/overview.pdf"' in page
    assert (site / "pdf/index.html").is_file()  # docs/pdf.md, beside the PDFs
    before = snapshot(site)
    name, breaking, message = BROKEN_STYLESHEETS[engine]
    css = project.templates / "print" / name
    css.write_text(breaking + "\n" + css.read_text())
    for command in ("build", "pdf"):
        failed = run(project.root, command, *chosen)
        assert failed.returncode == 1, command
        assert message in failed.stderr
        assert "Traceback" not in failed.stderr
        assert snapshot(site) == before, command
    assert not list(project.root.glob(".site-*")) and not list(site.glob(".pdf-*"))
    css.write_text(css.read_text().split("\n", 1)[1])
    letter = run(project.root, "pdf", "--paper", "letter", *chosen)
    assert letter.returncode == 0, letter.stderr
    assert re.fullmatch(r"wrote 3 PDFs \(\d+ pages\) to .* in \d+\.\d\d s\n", letter.stdout)
    box = pypdf.PdfReader(site / "pdf/briefing-book.pdf").pages[0].mediabox
    assert round(box.width) == 612
    assert (site / "pdf/index.html").read_bytes() == before["pdf/index.html"]  # carried over
    (project.root / "docs/pdf/briefings").mkdir(parents=True)
    (project.root / "docs/pdf/briefings/overview.pdf").write_bytes(b"%PDF-1.7 hand-made")
    clash = run(project.root, "build", *chosen)
    assert clash.returncode == 1
    assert "pdf/briefings/overview.pdf exists in the site already (from docs/?)" in clash.stderr


def test_every_pdf_option_is_documented() -> None:
    doc = (ROOT / "docs/pdf.md").read_text(encoding="utf-8")
    _, args = parse_args(["pdf"])
    for option in vars(args):
        if option not in ("root", "command", "run"):
            assert f"--{option.replace('_', '-')}" in doc, option
    assert "build.py pdf" in doc and "make pdf" in doc
