"""The search index in parts (briefing.web.shards): every page in exactly one part, a warm
build indexes again only the parts whose pages changed, and writes a cold build's bytes."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from briefing.bench.headline import edit_statement
from briefing.pdf.cache import CACHE_ENV
from briefing.pipeline import build_site
from briefing.project import Project
from briefing.web import shards
from briefing.web.scan import stray_code
from tests.helpers import snapshot
from tests.small_corpus import cached_corpus


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    return cached_corpus(tmp_path, monkeypatch)


@pytest.fixture
def indexed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The parts Pagefind indexed (their output folders, site-relative), in any order."""
    found: list[str] = []
    run = shards.Indexer._run

    def recording(self: shards.Indexer, command: list[str], *args: Any) -> Any:
        out = Path(command[command.index("--output-path") + 1])
        found.append(out.relative_to(out.parents[0 if out.name == shards.OUTPUT else 1]).as_posix())
        return run(self, command, *args)

    monkeypatch.setattr(shards.Indexer, "_run", recording)
    return found


def _part(page: str) -> str:
    top = page.split("/", 1)[0]
    kinds = {"actors", "briefings", "events", "relations", "sources"}
    return f"pagefind/{top}" if top in kinds and "/" in page else "pagefind"


def test_every_page_is_in_one_part_and_the_primary_lists_the_others(project: Project) -> None:
    build_site(project, project.root / "site")
    site = project.root / "site"
    parts = shards.plan(site)
    pages = [page for part in parts for page in part.pages]
    html = sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if p.relative_to(site).parts[0] != "pagefind"
    )
    assert sorted(pages) == html and len(set(pages)) == len(pages)
    assert [part.output for part in parts] == sorted({_part(page) for page in html})
    listed = json.loads((site / "pagefind" / shards.SHARDS_FILE).read_text(encoding="utf-8"))
    assert listed == [part.name for part in parts if part.name]
    for part in parts:
        entry = json.loads((site / part.output / "pagefind-entry.json").read_text("utf-8"))
        assert 0 < entry["languages"]["en"]["page_count"] <= len(part.pages)


def test_a_warm_build_indexes_again_only_the_parts_whose_pages_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project, indexed: list[str]
) -> None:
    site = project.root / "site"
    build_site(project, site)
    assert sorted(indexed) == sorted({_part(page) for page in snapshot(site) if ".html" in page})
    before = snapshot(site)
    try:  # one statement no briefing cites, else one a briefing cites
        edit_statement(project.content, False, 0)
    except LookupError:
        edit_statement(project.content, True, 0)
    indexed.clear()
    build_site(project, site)
    after = snapshot(site)
    changed = {p for p in after if p.endswith(".html") and before.get(p) != after[p]}
    assert changed and sorted(indexed) == sorted({_part(page) for page in changed})
    assert len(indexed) < len(shards.plan(site))  # some parts were copied, not indexed
    with monkeypatch.context() as patch:
        patch.setenv(CACHE_ENV, "off")
        build_site(project, tmp_path / "cold")
    cold = snapshot(tmp_path / "cold")
    assert sorted(after) == sorted(cold)
    assert [name for name in cold if cold[name] != after[name]] == []


def test_a_part_kept_under_another_key_is_indexed_again(
    project: Project, indexed: list[str]
) -> None:
    build_site(project, project.root / "site")
    kept = Path(project.root.parent / "cache" / "pagefind" / "actors" / shards.KEY_FILE)
    kept.write_text("another key", encoding="utf-8")
    indexed.clear()
    build_site(project, project.root / "site")
    assert indexed == ["pagefind/actors"]


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("pagefind/actors/pagefind.js", True),
        ("pagefind/events/wasm.en.pagefind", True),
        ("pagefind/elsewhere/pagefind.js", False),
        ("pagefind/actors/extra.js", False),
        ("pagefind/actors/fragment/evil.mjs", False),
    ],
)
def test_the_scan_allows_pagefinds_code_in_the_parts_only(
    tmp_path: Path, name: str, allowed: bool
) -> None:
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text("alert(1)", encoding="utf-8")
    assert [f.path for f in stray_code(tmp_path)] == ([] if allowed else [name])


def test_a_cache_that_cannot_be_written_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, project: Project
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked))
    build_site(project, project.root / "site")
    assert (project.root / "site" / "pagefind" / "pagefind.js").is_file()


def test_stop_ends_the_runs_under_way_and_starts_no_other(tmp_path: Path) -> None:
    """An interrupt during the indexing stops every Pagefind (index_parts calls stop())."""
    indexer = shards.Indexer(["sleep", "30"], dict(os.environ), None)
    said: list[tuple[int, list[str]]] = []
    first = threading.Thread(
        target=lambda: said.append(indexer._run(["sleep", "30"], tmp_path, tmp_path))
    )
    started = time.monotonic()
    first.start()
    while not indexer._running and time.monotonic() - started < 10:
        time.sleep(0.01)
    indexer.stop()
    first.join(timeout=10)
    assert not first.is_alive() and time.monotonic() - started < 10
    assert said[0][0] != 0 and not indexer._running
    assert indexer._run(["true"], tmp_path, tmp_path) == (1, ["stopped"])
