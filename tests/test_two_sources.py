"""A fixture corpus of two unrelated, invented sources: every page kind, the PDFs, coverage,
diff and search work with more than one source, and a source can be added with no code change.

tests/fixtures/two-sources/content/ is fiction written for these tests (a ferry in Quillby,
a frost in Ashfen), each quote verbatim from the archived text beside its source sheet.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.coverage import coverage, report
from briefing.cli import main
from briefing.pipeline import PdfOptions, build_site
from briefing.project import Project
from tests.helpers import ROOT, indexed_heading, indexed_page_count, make_corpus, snapshot

FIXTURE = Path(__file__).parent / "fixtures" / "two-sources" / "content"
# The second source and every sheet drawn from it: named after it, so a glob finds them.
SECOND = "ashfen"


def fixture_files(only: str = "") -> dict[str, str | bytes]:
    """The fixture's content files (those whose name starts with `only`), as make_corpus takes."""
    return {
        f"content/{path.relative_to(FIXTURE).as_posix()}": path.read_bytes()
        for path in sorted(FIXTURE.rglob("*"))
        if path.is_file() and path.name.startswith(only)
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_corpus(tmp_path_factory.mktemp("two"), fixture_files(), base=False)
    build_site(project, project.root / "site", PdfOptions())
    return project


def test_both_sources_are_covered_or_excluded_with_reasons(built: Project) -> None:
    assert report(coverage(check(built))) == [
        "ashfen-orchards: 4 of 4 sentences covered (100.0%), 1 excluded",
        "  content/sources/ashfen-orchards.txt:1: excluded (headline; the frost is reported in"
        ' the next sentence): "Ashfen orchards report a late frost"',
        "quillby-ferry: 4 of 4 sentences covered (100.0%), 2 excluded",
        "  content/sources/quillby-ferry.txt:1: excluded (headline; the vote is reported in the"
        ' next sentence): "Quillby council opens a ferry to Marsh Island"',
        "  content/sources/quillby-ferry.txt:6: excluded (rhetorical question; it states"
        ' nothing): "Who will ride it first?"',
        "total: 8 of 8 sentences covered (100.0%) in 2 sources",
    ]


PAGES = [
    "index.html",
    *(f"{kind}/index.html" for kind in ("actors", "relations", "events", "sources", "briefings")),
    "timeline/index.html",
    "tags/index.html",
    "figures/index.html",
    "legend/index.html",
    "actors/quillby-council/index.html",
    "actors/marsh-island-cooperative/index.html",
    "actors/ashfen-growers/index.html",
    "actors/ashfen-council/index.html",
    "relations/quillby-marsh-ferry/index.html",
    "relations/ashfen-loan-request/index.html",
    "events/quillby-ferry-vote/index.html",
    "events/ashfen-frost/index.html",
    "sources/quillby-ferry/index.html",
    "sources/ashfen-orchards/index.html",
    "briefings/quillby-ferry-briefing/index.html",
    "briefings/ashfen-briefing/index.html",
]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_kind_is_built(built: Project, page: str) -> None:
    assert (built.root / "site" / page).is_file()


def page(built: Project, path: str) -> str:
    return (built.root / "site" / path).read_text(encoding="utf-8")


def test_each_source_page_shows_its_own_statements(built: Project) -> None:
    quillby = page(built, "sources/quillby-ferry/index.html")
    ashfen = page(built, "sources/ashfen-orchards/index.html")
    assert "The Quillby Herald" in quillby and "40 passengers" in quillby
    assert "apple blossom" not in quillby
    assert "apple blossom" in ashfen and "40 passengers" not in ashfen


def test_the_timeline_orders_events_of_both_sources(built: Project) -> None:
    timeline = page(built, "timeline/index.html")
    assert timeline.index("A late frost in Ashfen") < timeline.index("Quillby votes for a daily")


def test_pdfs_for_every_briefing_and_the_book(built: Project) -> None:
    pdfs = sorted(p for p in snapshot(built.root / "site" / "pdf") if p.endswith(".pdf"))
    assert pdfs == [
        "briefing-book.pdf",
        "briefings/ashfen-briefing.pdf",
        "briefings/quillby-ferry-briefing.pdf",
    ]


def test_search_indexes_every_sheet_and_alias(built: Project) -> None:
    sheets = check(built).corpus.sheets
    for sheet in sheets:
        assert indexed_heading(page(built, f"{sheet.kind}s/{sheet.id}/index.html")), sheet.id
    growers = indexed_heading(page(built, "actors/ashfen-growers/index.html"))
    assert growers and "the association" in growers[0]
    assert indexed_page_count(built.root / "site") > len(sheets)  # and the reader's other pages


def git(root: Path, *args: str) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    command = ["git", "-C", str(root), *identity, "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def test_diff_reports_the_second_source_as_an_addition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_corpus(tmp_path, fixture_files("quillby"), base=False)
    git(project.root, "init", "-q", "-b", "main")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "first source")
    for name, data in fixture_files(SECOND).items():
        (project.root / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "second source")
    assert main(["--root", str(project.root), "diff", "HEAD~1", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "Sheets: 6 added, 0 removed, 0 renamed, 0 otherwise changed." in out
    assert "- source `ashfen-orchards`" in out


def test_a_second_source_joins_the_real_content_with_no_code_change(tmp_path: Path) -> None:
    # The claim of the design: adding a source is a content change. The real content plus the
    # fixture's second source and its sheets, with the project's own code and templates.
    real = {
        f"content/{p.relative_to(ROOT / 'content').as_posix()}": p.read_bytes()
        for p in sorted((ROOT / "content").rglob("*"))
        if p.is_file()
    }
    project = make_corpus(tmp_path, {**real, **fixture_files(SECOND)}, base=False)
    checked = check(project)
    ids = {sheet.id for sheet in checked.corpus.sheets}
    assert {"ashfen-orchards", "ashfen-growers", "ashfen-briefing"} <= ids
    results = {r.source_id: r for r in coverage(checked)}
    assert results["ashfen-orchards"].percent == 100.0
    assert len(results) == len(list((ROOT / "content" / "sources").glob("*.yaml"))) + 1
    build_site(project, project.root / "site", checked=checked)
    site = project.root / "site"
    for path in ("sources/ashfen-orchards", "briefings/ashfen-briefing", "events/ashfen-frost"):
        assert (site / path / "index.html").is_file(), path
    assert "ashfen-orchards" in (site / "sources" / "index.html").read_text(encoding="utf-8")


def test_the_home_page_lists_both_sources_with_what_is_known(built: Project) -> None:
    home = page(built, "index.html")
    assert "Date: 2031-03-04; publisher: The Quillby Herald" in home
    assert "Date: not stated; publisher: not stated" in home
