"""Stage 6: the MkDocs build, atomic replacement of site/, and escaping in the built HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import briefing.pipeline
from briefing.check import checker
from briefing.model.errors import SiteBuildError
from briefing.pipeline import build_site
from briefing.project import Project
from briefing.web import postbuild, render
from tests.helpers import ROOT, indexed_heading, make_corpus, snapshot

PAYLOAD = "<script>alert('x')</script> [x](javascript:alert(1))"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    summary = json.dumps(PAYLOAD)
    files = {
        "content/actors/russia.yaml": f"id: russia\nname: Russia & Co\ntype: state\naliases: [Moscow]\nsummary: {summary}\n"
    }
    project = make_corpus(tmp_path_factory.mktemp("site"), files)
    build_site(project, project.root / "site")
    return project


def test_site_has_home_and_one_page_per_sheet(built: Project) -> None:
    site = built.root / "site"
    for page in (
        "index.html",
        "actors/index.html",
        "actors/china/index.html",
        "actors/russia/index.html",
        "sources/article/index.html",
        "about/index.html",
    ):
        assert (site / page).is_file(), page
    assert not list(built.root.glob(".site-*")), "temporary build folders were left behind"
    assert not (built.root / "docs" / "actors").exists(), "generated pages were written into docs/"


def test_payload_is_literal_text_everywhere(built: Project) -> None:
    site = built.root / "site"
    for path, data in snapshot(site).items():
        text = data.decode("utf-8", errors="replace")
        assert "<script>alert" not in text, path
        assert 'href="javascript:' not in text, path
    page = (site / "actors/russia/index.html").read_text()
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; [x](javascript:alert(1))" in page
    assert (
        "<title>Russia &amp; Co - Briefing</title>" in page
        or "<title>Russia & Co - Briefing</title>" in page
    )
    russia = indexed_heading(page)
    assert russia and "Moscow" in russia[0]  # aliases sit in the heading search shows


def test_nav_lists_sections_not_sheets(built: Project) -> None:
    page = (built.root / "site/actors/china/index.html").read_text()
    nav = page.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "Actors" in nav and "Russia &" not in nav and "An article" not in nav


def test_failed_build_keeps_previous_site_byte_identical(built: Project) -> None:
    site = built.root / "site"
    before = snapshot(site)
    broken = built.root / "docs" / "broken.md"
    broken.write_text("# Broken\n\n[a link](missing.md)\n")
    try:
        with pytest.raises(SiteBuildError) as raised:
            build_site(built, site)
    finally:
        broken.unlink()
    assert "missing.md" in str(raised.value)
    assert snapshot(site) == before
    assert not list(built.root.glob(".site-*"))


def test_hand_written_page_cannot_hide_a_generated_one(tmp_path: Path) -> None:
    project = make_corpus(tmp_path, {"docs/actors/china.md": "# Mine\n"})
    with pytest.raises(SiteBuildError) as raised:
        build_site(project, project.root / "site")
    assert "docs/actors/china.md would hide a generated page; rename or remove it" in str(
        raised.value
    )
    assert not (project.root / "site").exists()


def test_real_project_site_builds_and_every_internal_link_resolves(project_site: Path) -> None:
    from briefing.web.linkcheck import check_links

    for page in ("index.html", "timeline/index.html", "figures/index.html", "legend/index.html"):
        assert (project_site / page).is_file(), page
    assert (project_site / "tags/index.html").is_file()
    assert check_links(project_site) == []


def test_no_page_asks_a_third_party_host(project_site: Path) -> None:
    import re

    remote = re.compile(
        r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//"""
    )
    for path, data in snapshot(project_site).items():
        if not path.endswith(".html"):
            continue
        text = data.decode("utf-8")
        hints = [m.group(0) for m in remote.finditer(text) if 'rel="canonical"' not in m.group(0)]
        assert hints == [], path
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path
        # Material's JavaScript fetches repository facts from api.github.com for this element.
        assert 'data-md-component="source"' not in text, path


def test_edit_action_opens_the_yaml_sheet(project_site: Path) -> None:
    import re

    edit = re.compile(r'<a href="([^"]*)" title="Edit this page"')
    repo = "https://github.com/briefing-project/briefing/edit/main/"
    sheets = sorted((ROOT / "content").glob("*/*.yaml"))
    assert sheets
    for sheet in sheets:
        page = project_site / sheet.parent.name / sheet.stem / "index.html"
        found = edit.findall(page.read_text())
        assert found == [f"{repo}content/{sheet.parent.name}/{sheet.name}"], page
    for index in ("index.html", "actors/index.html", "timeline/index.html"):
        assert edit.findall((project_site / index).read_text()) == [], index
    about = edit.findall((project_site / "about/index.html").read_text())
    assert about == [f"{repo}docs/about.md"]


def test_broken_link_in_raw_html_fails_the_build_and_keeps_the_site(built: Project) -> None:
    site = built.root / "site"
    before = snapshot(site)
    broken = built.root / "docs" / "raw.md"
    # MkDocs does not see links inside raw HTML; the post-build link check does.
    broken.write_text('# Raw\n\n<div class="x"><a href="../nowhere/">gone</a></div>\n')
    try:
        with pytest.raises(SiteBuildError) as raised:
            build_site(built, site)
    finally:
        broken.unlink()
    assert "error: raw/index.html: broken link '../nowhere/': no such file" in str(raised.value)
    assert snapshot(site) == before


def test_sheet_tags_feed_the_tags_index(tmp_path: Path) -> None:
    project = make_corpus(
        tmp_path,
        {
            "content/actors/iran.yaml": (
                "id: iran\nname: Iran\ntype: state\nsummary: A state.\n"
                'tags: [axis, "sanctions & trade"]\n'
            )
        },
    )
    build_site(project, project.root / "site")
    tags = (project.root / "site/tags/index.html").read_text()
    assert 'href="../actors/iran/"' in tags
    assert "sanctions &amp; trade" in tags or "sanctions & trade" in tags
    iran = (project.root / "site/actors/iran/index.html").read_text()
    assert 'class="md-tag' in iran and "axis" in iran


def test_search_titles_actors_with_their_aliases_weighted_by_kind(built: Project) -> None:
    page = (built.root / "site/actors/china/index.html").read_text(encoding="utf-8")
    assert indexed_heading(page) == (
        "Actor: China, also called Beijing",
        {
            "class": "bf-title",
            "id": "_title",
            "data-pagefind-weight": "10",
            "data-pagefind-meta": "kind:Actor",
        },
    )


def test_each_search_result_names_its_kind(built: Project) -> None:
    site = built.root / "site"
    source = indexed_heading((site / "sources/article/index.html").read_text(encoding="utf-8"))
    assert source and source[0] == "Source: An article"
    kinds = {"actors": "Actor", "relations": "Relation", "events": "Event", "sources": "Source"}
    for folder, kind in kinds.items():
        for file in sorted((site / folder).glob("*/index.html")):
            heading = indexed_heading(file.read_text(encoding="utf-8"))
            assert heading and heading[0].startswith(f"{kind}: "), file
            assert heading[1]["data-pagefind-meta"] == f"kind:{kind}", file


def test_building_in_several_processes_gives_the_same_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    build_site(project, tmp_path / "one-process")
    # Force what a large corpus does: render in forked workers, and inspect pages in
    # workers while MkDocs is still building, two at a time.
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(postbuild, "PARALLEL_FROM", 1)
    monkeypatch.setattr(postbuild, "CHUNK", 2)
    handed_out: list[str] = []
    written = postbuild.Inspection.written
    monkeypatch.setattr(
        postbuild.Inspection,
        "written",
        lambda self, shown: (handed_out.append(shown), written(self, shown))[1],
    )
    build_site(project, tmp_path / "several")
    assert "actors/china/index.html" in handed_out  # inspected during the build
    assert snapshot(tmp_path / "several") == snapshot(tmp_path / "one-process")
    # And a page the workers inspect still fails the build.
    (project.root / "docs" / "raw.md").write_text(
        '# Raw\n\n<div class="x"><a href="../nowhere/">gone</a><p onclick="x">y</p></div>\n'
    )
    with pytest.raises(SiteBuildError) as raised:
        build_site(project, tmp_path / "several")
    assert str(raised.value).startswith("unsafe HTML in the built site: raw/index.html:")
    assert str(raised.value).endswith(": event-handler attribute 'onclick' on <p>")


def test_a_corpus_checked_by_the_caller_is_not_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    checked = checker.check(project)

    def check_again(*args: object, **kwargs: object) -> None:
        raise AssertionError("the build checked the content again")

    monkeypatch.setattr(briefing.pipeline, "check", check_again)
    build_site(project, tmp_path / "site", checked=checked)
    assert (tmp_path / "site" / "actors" / "china" / "index.html").is_file()


def test_archived_text_is_published_beside_the_source_page(built: Project) -> None:
    site = built.root / "site"
    text = (built.root / "content/sources/article.txt").read_text(encoding="utf-8")
    assert (site / "sources/article.txt").read_text(encoding="utf-8") == text
    page = (site / "sources/article/index.html").read_text(encoding="utf-8")
    assert '<a href="../article.txt">article.txt</a>' in page


EDITORS = [
    "content-guide.md",
    "pdf.md",
    "security.md",
    "performance.md",
    "engines.md",
    "upgrading.md",
]


def test_editors_pages_come_last_in_their_own_section_and_out_of_search(built: Project) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    *readers, last = config["nav"]
    assert [page for entry in last["For editors"] for page in entry.values()] == EDITORS
    assert not {page for entry in readers for page in entry.values()} & set(EDITORS)
    site = built.root / "site"
    found = {
        page.relative_to(site).parts[0]
        for page in site.rglob("*.html")
        if indexed_heading(page.read_text(encoding="utf-8")) is not None
    }
    assert found.isdisjoint(page.removesuffix(".md") for page in EDITORS)
    assert "about" in found and "actors" in found  # reader pages stay searchable
