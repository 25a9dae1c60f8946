"""Stage 6: the MkDocs build, atomic replacement of site/, and escaping in the built HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.errors import SiteBuildError
from briefing.pipeline import Project
from briefing.site import build_site
from conftest import make_corpus

PAYLOAD = "<script>alert('x')</script> [x](javascript:alert(1))"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


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
    index = json.loads((site / "search/search_index.json").read_text())
    russia = [d for d in index["docs"] if d["location"] == "actors/russia/"]
    assert russia and "Moscow" in russia[0]["text"]
    assert "<script>" not in json.dumps(index)


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
