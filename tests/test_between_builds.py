"""What one build keeps for the next (briefing.web.between_builds): the render's memo, reused
only under the same key, and loaded only as briefing's own records.

That a build reusing it writes a cold build's bytes is tested in test_warm_build.py; that a
recalled memo makes again every page whose reads changed, save after save, in
test_preview_reads.py ("across builds")."""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.data import annotations
from briefing.pdf.cache import CACHE_ENV, cache_root
from briefing.pipeline import build_site
from briefing.project import Project
from briefing.web import between_builds, render
from briefing.web.between_builds import Memos
from briefing.web.render import RenderMemo, render_pages
from tests.small_corpus import cached_corpus


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return cached_corpus(tmp_path, monkeypatch)


def memo_file(project: Project) -> Path:
    root = cache_root(project.root)
    assert root is not None
    return root / between_builds.FOLDER / between_builds.FILE


def recalled(project: Project) -> Memos:
    """What a build recalls (caching is on)."""
    memos = between_builds.recall(project)
    assert memos is not None
    return memos


def kept(project: Project) -> Memos:
    """Check and render with new memos, and keep them as a build does."""
    memos = Memos()
    checked = check(project, memo=memos.sheets)
    render_pages(project.templates, checked, memo=memos.render)
    between_builds.keep(project, memos, len(checked.corpus.sheets))
    return memos


def test_a_kept_memo_is_recalled_page_for_page_and_reused_whole(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    memos = kept(project)
    memo = memos.render
    made = annotations.REMEMBERED.sheets
    assert made
    # A new process: nothing remembered but what was kept.
    monkeypatch.setattr(annotations, "REMEMBERED", annotations._Remembered())
    assert memo_file(project).is_file()
    recalled_memos = recalled(project)
    again = recalled_memos.render
    assert list(again.pages) == list(memo.pages)
    for path, page in memo.pages.items():
        found = again.pages[path]
        assert (found.template, found.reads, found.text) == (page.template, page.reads, page.text)
        assert found.context is None  # contexts are not kept
    assert annotations.REMEMBERED.sheets == made
    assert recalled_memos.sheets.files == memos.sheets.files
    # The check parses no file, and its sheets are the kept corpus's very objects.
    checked = check(project, memo=recalled_memos.sheets)
    assert recalled_memos.sheets.read == 0
    assert again.inputs is not None
    before = again.inputs.checked.corpus.sheets
    assert all(new is old for new, old in zip(checked.corpus.sheets, before, strict=True))
    pages = render_pages(project.templates, checked, memo=again)
    assert again.computed == 0
    assert annotations.REMEMBERED.made == 0  # each sheet's annotations were kept too
    assert pages == render_pages(project.templates, check(project))


def _template_edited(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """One byte more in a template, its size and modification time put back as they were
    except the size: the key is made of bytes, not of what stat says."""
    path = project.templates / "actor.md.j2"
    status = path.stat()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def _template_added(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    (project.templates / "_new.j2").write_text("{# new #}\n", encoding="utf-8")


def _code_changed(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(between_builds, "VERSION", b"another version")


def _damaged(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    path = memo_file(project)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _removed(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    memo_file(project).unlink()


def _another_shape(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pickle the unpickler loads, under the right key, but not what keep() writes."""
    path = memo_file(project)
    kept = pickle.dumps({"pdf_links": True, "inputs": None, "pages": {"x.md": "text"}})
    path.write_bytes(between_builds.memo_key(project) + b"\n" + kept)


CHANGES: dict[str, Callable[[Project, pytest.MonkeyPatch], None]] = {
    "a template's bytes": _template_edited,
    "a template added": _template_added,
    "briefing's code": _code_changed,
    "the file cut short": _damaged,
    "the file gone": _removed,
    "another shape": _another_shape,
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_memo_is_not_reused_after(
    project: Project, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    kept(project)
    assert recalled(project).render.pages  # reused before the change
    CHANGES[change](project, monkeypatch)
    memos = recalled(project)
    assert memos.render.pages == {} and memos.render.inputs is None
    assert memos.sheets.files == {}


def test_with_caching_off_nothing_is_kept_or_recalled(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept(project)
    where = memo_file(project)
    monkeypatch.setenv(CACHE_ENV, "off")
    assert between_builds.recall(project) is None
    where.unlink()
    kept(project)
    assert not where.exists()


def test_a_cache_that_cannot_be_written_keeps_nothing_and_fails_nothing(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked))
    kept(project)
    assert recalled(project).render.pages == {}
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_a_build_above_the_size_it_keeps_memos_for_keeps_none(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_site(project, project.root / "site")
    assert memo_file(project).is_file()
    sheets = len(check(project).corpus.sheets)
    monkeypatch.setattr(between_builds, "KEPT_UP_TO", sheets)
    assert between_builds.recall(project) is not None
    monkeypatch.setattr(between_builds, "KEPT_UP_TO", sheets - 1)
    assert between_builds.recall(project) is None  # counted before the check
    build_site(project, project.root / "site")
    assert not memo_file(project).exists()  # the smaller corpus's memos are gone too
    assert (project.root / "site" / "index.html").is_file()


@pytest.mark.parametrize(
    "module, name",
    [
        ("os", "system"),  # outside briefing
        ("briefing.web.between_builds", "memo_key"),  # briefing's, but a function
        ("briefing.forked", "Background"),  # briefing's, a class, but not a record
    ],
)
def test_a_memo_naming_anything_but_briefings_records_is_not_loaded(
    project: Project, tmp_path: Path, module: str, name: str
) -> None:
    kept(project)
    tripwire = tmp_path / "tripwire"
    # Protocol 0: call module.name with one string argument.
    command = f"touch {tripwire}" if module == "os" else "x"
    crafted = f"c{module}\n{name}\n(V{command}\ntR.".encode()
    assert not tripwire.exists()
    memo_file(project).write_bytes(between_builds.memo_key(project) + b"\n" + crafted)
    assert recalled(project).render.pages == {} and not tripwire.exists()
    with pytest.raises(pickle.UnpicklingError, match=f"{module}.{name} is not a record"):
        between_builds._Unpickler(memo_file(project).open("rb")).find_class(module, name)


def test_pages_rendered_in_parallel_note_the_reads_one_process_notes(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = check(project)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    alone, shared = RenderMemo(), RenderMemo()
    pages = render_pages(project.templates, checked, memo=alone)
    assert render_pages(project.templates, checked, workers=2, memo=shared) == pages
    assert pages == render_pages(project.templates, checked)
    assert shared.computed == len(pages)
    assert {path: page.reads for path, page in shared.pages.items()} == {
        path: page.reads for path, page in alone.pages.items()
    }
    assert shared.inputs is not None and shared.inputs.checked is checked


def test_the_memo_is_unpickled_with_the_collector_paused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept(project)
    collecting: list[bool] = []
    load = between_builds._Unpickler.load

    def recording(self: between_builds._Unpickler) -> object:
        collecting.append(gc.isenabled())
        return load(self)

    monkeypatch.setattr(between_builds._Unpickler, "load", recording)
    assert recalled(project).render.pages
    assert collecting == [False] and gc.isenabled()
