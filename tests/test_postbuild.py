"""Post-build inspection: one parse per file gives the scan's findings and the broken links,
the same in one process as shared out among workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.forked import usable_cores
from briefing.web import postbuild
from briefing.web.linkcheck import check_links
from briefing.web.scan import scan_site
from tests.helpers import write_files

SITE = {
    "index.html": '<a href="a/">a</a> <a href="a/#missing">gone</a> <a href="nowhere/">x</a>',
    "a/index.html": '<h2 id="here">h</h2><p onclick="x">a</p><a href="../#">home</a>',
    "logo.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
    "b.txt": "<script>not html</script>",
    "search/search_index.json": json.dumps(
        {"docs": [{"location": "", "title": "<img src=x onerror=y>", "text": ""}]}
    ),
}
FINDINGS = [
    "a/index.html:1:21: event-handler attribute 'onclick' on <p>",
    "logo.svg:1:41: <script> that is not one of the theme's own",
    "search/search_index.json#docs[0].title:1:1: event-handler attribute 'onerror' on <img>",
]
BROKEN = [
    "index.html: broken link 'a/#missing': no element with id 'missing' in a/index.html",
    "index.html: broken link 'nowhere/': no such file (nowhere/index.html)",
]


@pytest.mark.parametrize("workers", [0, 2])
def test_one_parse_finds_what_the_scan_and_the_link_check_find(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, SITE)
    monkeypatch.setattr(postbuild, "CHUNK", 1)  # so that two workers share five files
    findings, broken = postbuild.inspect_site(tmp_path, workers)
    assert [str(f) for f in findings] == FINDINGS
    assert [str(b) for b in broken] == BROKEN
    assert findings == scan_site(tmp_path)
    assert broken == check_links(tmp_path)


def test_pages_are_inspected_as_they_are_written_and_again_if_they_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postbuild, "CHUNK", 2)
    write_files(tmp_path, SITE)
    with postbuild.Inspection(tmp_path, workers=2) as inspection:
        for page in ("index.html", "a/index.html", "logo.svg"):
            inspection.written(page)  # a full chunk goes to a worker at once
        assert len(inspection.futures) == 1 and inspection.pending == ["logo.svg"]
        inspection.stop_workers()  # hands out the rest of the chunk and waits for both
        assert inspection.pool is None
        assert set(inspection.done) == {"index.html", "a/index.html", "logo.svg"}
        # A plugin rewrites a page after it was inspected: the new file is what counts.
        (tmp_path / "a/index.html").write_text('<h2 id="missing">h</h2><a href="../">home</a>')
        findings, broken = inspection.finish()
    assert [str(f) for f in findings] == FINDINGS[1:]
    assert [str(b) for b in broken] == BROKEN[1:]


def test_large_sites_are_shared_out_among_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {f"p{n}/index.html": f'<a href="../p{n + 1}/">next</a>' for n in range(30)}
    write_files(tmp_path, pages)
    assert postbuild.default_workers(30) == 0
    monkeypatch.setattr(postbuild, "PARALLEL_FROM", 10)
    monkeypatch.setattr(postbuild, "CHUNK", 4)
    assert postbuild.default_workers(30) == usable_cores()
    findings, broken = postbuild.inspect_site(tmp_path)
    assert findings == []
    assert [str(b) for b in broken] == [
        "p29/index.html: broken link '../p30/': no such file (p30/index.html)"
    ]


def test_the_link_context_is_worked_out_only_for_a_build_that_keeps_it(tmp_path: Path) -> None:
    write_files(tmp_path, {"index.html": '<p id="a"><a href="#a">here</a></p>'})
    with postbuild.Inspection(tmp_path) as inspection:
        assert inspection.finish(context=False) == ([], [])
        assert inspection.context == ""
    with postbuild.Inspection(tmp_path) as inspection:
        assert inspection.finish() == ([], [])
        assert len(inspection.context) == 64  # a SHA-256, in hex
