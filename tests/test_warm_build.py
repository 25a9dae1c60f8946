"""A warm build (the PDF cache, the previous build's unchanged pages: briefing.web.reuse)
writes the same site, byte for byte, as a cold build of the same content."""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.structure.pages import Page

from briefing import pipeline
from briefing.bench.headline import edit_statement
from briefing.model.errors import SiteBuildError
from briefing.pdf import layout
from briefing.pdf.cache import CACHE_ENV
from briefing.pipeline import PdfOptions, build_site
from briefing.project import Project
from briefing.publish import empty_trash
from briefing.web import between_builds, postbuild, reuse
from briefing.web.linkcheck import page_links
from briefing.web.render import RenderMemo
from briefing.web.search import Indexing
from briefing.web.site import InspectAsBuilt
from tests.helpers import snapshot
from tests.small_corpus import cached_corpus


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return cached_corpus(tmp_path, monkeypatch)


@pytest.fixture
def copied(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The pages each build copied from the previous one (site-relative paths)."""
    found: list[set[str]] = []
    on_nav = reuse.SiteReuse.on_nav

    def recording(self: reuse.SiteReuse, nav: object, /, **kwargs: object) -> object:
        result = on_nav(self, nav, **kwargs)  # type: ignore[arg-type]
        found.append(set(self.copied))
        return result

    monkeypatch.setattr(reuse.SiteReuse, "on_nav", recording)
    return found


@pytest.fixture
def recalled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[RenderMemo, int]]:
    """Each build's render memo from the build before (between_builds), with the number of
    pages it held when recalled; after the build, its counts are that build's render's."""
    found: list[tuple[RenderMemo, int]] = []
    recall = between_builds.recall

    def recording(project: Project, files: int | None = None) -> between_builds.Memos | None:
        memos = recall(project, files)
        if memos is not None:
            found.append((memos.render, len(memos.render.pages)))
        return memos

    monkeypatch.setattr(between_builds, "recall", recording)
    return found


def cold(project: Project, out: Path, monkeypatch: pytest.MonkeyPatch, pdfs: bool) -> None:
    """A build with no cache at all into out."""
    with monkeypatch.context() as patch:
        patch.setenv(CACHE_ENV, "off")
        build_site(project, out, PdfOptions(jobs=1) if pdfs else None)


def assert_same_site(built: Path, expected: Path) -> None:
    warm, cold_site = snapshot(built), snapshot(expected)
    assert sorted(warm) == sorted(cold_site)
    assert [name for name in cold_site if cold_site[name] != warm[name]] == []


def test_a_cached_build_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    cold(project, tmp_path / "cold", monkeypatch, pdfs=True)
    build_site(project, project.root / "site", PdfOptions(jobs=1))
    laid_out: list[str] = []
    render_all = layout.render_all

    def recording(project: object, printer: object, htmls: dict[str, str], *args: object) -> object:
        laid_out.extend(htmls)
        return render_all(project, printer, htmls, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "render_all", recording)
    build_site(project, project.root / "site", PdfOptions(jobs=1))
    assert laid_out == []  # every PDF from the cache
    assert copied[1] == set() and copied[2]  # the second build copied pages
    assert any(name.endswith(".pdf") for name in snapshot(tmp_path / "cold"))
    assert_same_site(project.root / "site", tmp_path / "cold")


def _rename_an_actor(project: Project) -> str:
    path = sorted((project.content / "actors").glob("*.yaml"))[0]
    sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
    sheet["name"] = f"{sheet['name']} Renamed"
    path.write_text(yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return f"actors/{sheet['id']}/index.html"


def _edit_a_statement(project: Project) -> str:
    """Edit a statement the way the benchmark does: one no briefing cites, if there is one."""
    for cited in (False, True):
        try:
            return f"actors/{edit_statement(project.content, cited, 0).split('#')[0]}/index.html"
        except LookupError:
            continue
    raise LookupError("no actor statement to edit")


def _add_and_delete_sheets(project: Project) -> str:
    events = sorted((project.content / "events").glob("*.yaml"))
    sheet = yaml.safe_load(events[0].read_text(encoding="utf-8"))
    sheet["id"] = f"{sheet['id']}-again"
    added = project.content / "events" / f"{sheet['id']}.yaml"
    added.write_text(yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True), "utf-8")
    events[-1].unlink()
    return f"events/{sheet['id']}/index.html"


EDITS: dict[str, Callable[[Project], str]] = {
    "uncited statement": _edit_a_statement,
    "actor renamed": _rename_an_actor,
    "sheet added and one deleted": _add_and_delete_sheets,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_warm_build_after_an_edit_equals_a_cold_build(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    project: Project,
    copied: list[set[str]],
    recalled: list[tuple[RenderMemo, int]],
    edit: str,
) -> None:
    build_site(project, project.root / "site")
    changed = EDITS[edit](project)
    build_site(project, project.root / "site")
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")
    assert changed not in copied[1]
    assert copied[1]  # and the rest was copied
    (first, had_first), (second, had) = recalled[:2]
    assert had_first == 0 and first.computed == len(first.pages)
    assert 0 < second.computed < had  # the other pages' Markdown came from the first build


def test_unchanged_pages_are_linked_and_a_late_failure_leaves_the_site_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    site = project.root / "site"
    build_site(project, site, PdfOptions(jobs=1))
    inodes = {p: p.stat().st_ino for p in site.rglob("*.html")}
    published = snapshot(site)
    _edit_a_statement(project)
    finish = InspectAsBuilt.finish

    def failing(self: InspectAsBuilt) -> list[str]:
        # Everything written by now: the pages copied and built, the PDFs, their list, the zip.
        assert finish(self) == []
        return ["error: a failure after every file was written"]

    with monkeypatch.context() as patch:
        patch.setattr(InspectAsBuilt, "finish", failing)
        with pytest.raises(SiteBuildError, match="after every file was written"):
            build_site(project, site, PdfOptions(jobs=1))
    assert copied[1]
    assert snapshot(site) == published  # no write went through a link into the site
    build_site(project, site, PdfOptions(jobs=1))
    # The very files published before, in the new site and in the old one, which is in the
    # cache's trash until the next build removes it.
    trash = project.root.parent / "cache" / "trash"
    for name in copied[2]:
        status = (site / name).stat()
        assert (status.st_ino, status.st_nlink) == (inodes[site / name], 2)
    empty_trash(trash)
    assert all((site / name).stat().st_nlink == 1 for name in copied[2])
    # The PDFs' list, filled in after the engine, is never copied: a new file every build.
    assert (site / "pdfs/index.html").is_file() and "pdfs/index.html" not in copied[2]
    cold(project, tmp_path / "cold", monkeypatch, pdfs=True)
    assert_same_site(site, tmp_path / "cold")


def test_a_page_changed_in_site_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    build_site(project, project.root / "site")
    tampered = sorted((project.root / "site" / "actors").glob("*/index.html"))[0]
    tampered.write_text("<p>tampered</p>", encoding="utf-8")
    build_site(project, project.root / "site")
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")
    assert tampered.relative_to(project.root / "site").as_posix() not in copied[1]


@pytest.mark.parametrize("where", ["mkdocs.yml", "docs/about.md"])
def test_a_change_beside_the_content_builds_every_page(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    project: Project,
    copied: list[set[str]],
    where: str,
) -> None:
    build_site(project, project.root / "site")
    path = project.root / where
    text = path.read_text(encoding="utf-8")
    if where == "mkdocs.yml":
        text = text.replace("  - Timeline: timeline.md", "  - Chronology: timeline.md")
    path.write_text(text + "\n", encoding="utf-8")
    build_site(project, project.root / "site")
    assert copied[1] == set()
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")


def test_a_failed_build_leaves_the_next_one_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    build_site(project, project.root / "site")
    _edit_a_statement(project)
    broken = project.root / "docs" / "broken.md"
    broken.write_text("# Broken\n\n[gone](missing.md)\n", encoding="utf-8")
    with pytest.raises(SiteBuildError):
        build_site(project, project.root / "site")
    broken.unlink()
    build_site(project, project.root / "site")
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")
    assert copied[2]


def test_a_copied_page_linking_to_a_page_now_gone_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    build_site(project, project.root / "site")
    render = pipeline.render_pages

    def without_a_source(*args: object) -> dict[str, str]:
        pages = dict(render(*args))  # type: ignore[arg-type]
        gone = sorted(p for p in pages if p.startswith("sources/") and p != "sources/index.md")
        del pages[gone[0]]
        return pages

    monkeypatch.setattr(pipeline, "render_pages", without_a_source)
    with pytest.raises(SiteBuildError, match="broken link"):
        build_site(project, project.root / "site")
    assert copied[1]  # the pages linking to it were copied, their links still checked


def test_tags_stay_in_page_order_when_a_late_page_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    actors = sorted((project.content / "actors").glob("*.yaml"))
    for path in actors:  # every actor tagged: the tags plugin's export lists them all
        sheet = yaml.safe_load(path.read_text(encoding="utf-8"))
        sheet["tags"] = ["shared", path.stem]
        path.write_text(yaml.safe_dump(sheet, sort_keys=False, allow_unicode=True), "utf-8")
    build_site(project, project.root / "site")
    last = yaml.safe_load(actors[-1].read_text(encoding="utf-8"))
    last["summary"] += " Edited."
    actors[-1].write_text(yaml.safe_dump(last, sort_keys=False, allow_unicode=True), "utf-8")
    build_site(project, project.root / "site")
    assert f"actors/{last['id']}/index.html" not in copied[1] and copied[1]
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")


def test_another_hook_turns_reuse_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    # A hook may make a page depend on others: with one, every page is built every time.
    (project.root / "other_hook.py").write_text("def on_startup(**kwargs):\n    pass\n", "utf-8")
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("hooks:\n", "hooks:\n  - other_hook.py\n"), "utf-8")
    build_site(project, project.root / "site")
    build_site(project, project.root / "site")
    assert copied == [set(), set()]


@pytest.fixture
def checked_pages(monkeypatch: pytest.MonkeyPatch) -> list[set[str] | None]:
    """The pages whose links each build checked (None: every page)."""
    found: list[set[str] | None] = []
    resolve = postbuild.resolve_links

    def recording(site: Path, pages: Any, only: Any = None) -> Any:
        found.append(None if only is None else set(only))
        return resolve(site, pages, only)

    monkeypatch.setattr(postbuild, "resolve_links", recording)
    return found


def test_copied_pages_links_are_not_checked_again_when_files_and_ids_are_the_same(
    project: Project, copied: list[set[str]], checked_pages: list[set[str] | None]
) -> None:
    build_site(project, project.root / "site")
    changed = _edit_a_statement(project)
    build_site(project, project.root / "site")
    first, second = checked_pages
    assert first is None and second is not None  # no published build to compare with
    assert changed in second and not second & copied[1]


def _a_link_to_a_place_on_another_page(site: Path) -> tuple[str, str, str]:
    """(page, url, the page it goes to) for a link with '#place' to another page."""
    for html in sorted(site.rglob("*.html")):
        page = html.relative_to(site).as_posix()
        for url in page_links(html.read_text(encoding="utf-8")).links:
            path, _, place = url.partition("#")
            if not path or not place or ":" in path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
            target = target + "/index.html" if (site / target).is_dir() else target
            if target != page and (site / target).is_file():
                return page, url, target
    raise LookupError("no link to a place on another page")


def test_a_copied_page_linking_to_a_place_now_gone_fails_the_build(
    monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    """The ids changed: every page's links are checked, the copied ones too."""
    build_site(project, project.root / "site")
    page, url, target = _a_link_to_a_place_on_another_page(project.root / "site")
    place = url.partition("#")[2]
    stem = target.removesuffix("index.html").removesuffix("/") or "index"
    render = pipeline.render_pages

    def without_the_place(*args: object) -> dict[str, str]:
        pages = dict(render(*args))  # type: ignore[arg-type]
        for name in (f"{stem}.md", f"{stem}/index.md"):
            if name in pages:
                assert f'id="{place}"' in pages[name]
                pages[name] = pages[name].replace(f'id="{place}"', "")
        return pages

    monkeypatch.setattr(pipeline, "render_pages", without_the_place)
    message = f"{page}: broken link '{url}': no element with id '{place}' in {target}"
    with pytest.raises(SiteBuildError, match=re.escape(message)):
        build_site(project, project.root / "site")
    assert page in copied[1]  # copied, its link checked all the same


def test_a_copied_pages_front_matter_is_the_one_kept_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    build_site(project, project.root / "site")
    _edit_a_statement(project)
    read: set[str] = set()
    read_source = Page.read_source

    def recording(self: Page, config: Any) -> None:
        read.add(self.file.dest_uri)
        read_source(self, config)

    monkeypatch.setattr(Page, "read_source", recording)
    build_site(project, project.root / "site")
    sheets = {page for page in copied[1] if page.count("/") == 2}  # kind/id/index.html
    assert sheets and read and not read & sheets  # front matter from the manifest
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")  # the tags' listings too


@pytest.mark.parametrize(
    ("source", "markdown", "data", "kept"),
    [
        ("---\ntitle: A\ntags: [x]\n---\n\nBody\n", "Body\n", {"title": "A", "tags": ["x"]}, True),
        ("---\nsearch:\n  boost: 2.5\n---\nBody", "Body", {"search": {"boost": 2.5}}, True),
        ("Body without front matter\n", "Body without front matter\n", {}, False),
        # YAML that is not a mapping: MkDocs keeps the whole source as the Markdown.
        ("---\n- a list\n---\nBody", "---\n- a list\n---\nBody", {}, False),
        ("---\ndate: 2024-01-02\n---\nBody", "Body", {"date": date(2024, 1, 2)}, False),
        ("---\nx: .nan\n---\nBody", "Body", {"x": float("nan")}, False),
        ("---\nx: !!python/tuple [1]\n---\nBody", "Body", {"x": (1,)}, False),
    ],
    ids=["tags", "number", "none", "not a mapping", "a date", "not a number", "a tuple"],
)
def test_front_matter_is_kept_only_when_json_gives_it_back_the_same(
    source: str, markdown: str, data: dict[str, Any], kept: bool
) -> None:
    assert (reuse._front_matter(source, markdown, data) == data) is kept


def test_a_build_failing_after_its_manifest_was_made_does_not_keep_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    """The manifest is made while Pagefind runs, and saved only once the site is published."""
    build_site(project, project.root / "site")
    manifest = project.root.parent / "cache" / "site" / reuse.MANIFEST
    before = manifest.read_bytes()
    _edit_a_statement(project)
    with monkeypatch.context() as patch:
        patch.setattr(Indexing, "finish", lambda self: ["error: a failure at the very end"])
        with pytest.raises(SiteBuildError, match="at the very end"):
            build_site(project, project.root / "site")
    assert manifest.read_bytes() == before
    build_site(project, project.root / "site")
    assert copied[2]
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")


def test_where_pages_cannot_be_linked_they_are_copied_and_kept_for_the_next_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, copied: list[set[str]]
) -> None:
    def cross_device(source: str, target: str) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    manifest = project.root.parent / "cache" / "site" / reuse.MANIFEST
    build_site(project, project.root / "site")
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["pages"]
    _edit_a_statement(project)
    build_site(project, project.root / "site")
    assert copied[1]
    # Each copy is recorded with its own stamp, so that the next build can copy it again.
    assert json.loads(manifest.read_text(encoding="utf-8"))["pages"].keys() == recorded.keys()
    cold(project, tmp_path / "cold", monkeypatch, pdfs=False)
    assert_same_site(project.root / "site", tmp_path / "cold")


def test_each_build_removes_the_old_site_the_one_before_left_in_the_trash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project
) -> None:
    trash = project.root.parent / "cache" / "trash"
    held = []
    for _ in range(3):
        build_site(project, project.root / "site")
        held.append(sorted(p.name for p in trash.iterdir()) if trash.is_dir() else [])
    assert [len(names) for names in held] == [0, 1, 1] and held[1] != held[2]
    with monkeypatch.context() as patch:  # no cache, no trash: the old site is removed
        patch.setenv(CACHE_ENV, "off")
        build_site(project, tmp_path / "cold")
        build_site(project, tmp_path / "cold")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
