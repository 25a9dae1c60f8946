"""The search index in parts (briefing.web.shards): every page in exactly one part, a warm
build indexes again only the parts whose pages changed, and writes a cold build's bytes."""

from __future__ import annotations

import json
import os
import threading
import time
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from briefing.bench.headline import edit_statement
from briefing.pdf.cache import CACHE_ENV
from briefing.pipeline import build_site
from briefing.project import Project
from briefing.web import shards
from briefing.web.scan import stray_code
from briefing.web.sitefiles import stamp
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


def _site_of(tmp_path: Path, pages: list[str]) -> Path:
    """A folder holding an empty HTML file at each of pages."""
    for page in pages:
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / page).write_text("<p>x</p>", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("actors", "parts"),
    [
        (shards.PART_PAGES, ["actors"]),
        (shards.PART_PAGES + 1, ["actors-1", "actors-2"]),
        (3 * shards.PART_PAGES - 1, ["actors-1", "actors-2", "actors-3"]),
        (
            shards.MOST_PARTS * shards.PART_PAGES,
            [f"actors-{n}" for n in range(1, shards.MOST_PARTS + 1)],
        ),
        (shards.MOST_PARTS * shards.PART_PAGES + 1, ["actors"]),  # each part costs a search
    ],
)
def test_a_kind_with_many_pages_is_split_in_numbered_parts(
    tmp_path: Path, actors: int, parts: list[str]
) -> None:
    pages = [f"actors/a{n}/index.html" for n in range(actors)] + ["index.html"]
    plan = shards.plan(_site_of(tmp_path, pages))
    assert [part.name for part in plan] == ["", *parts]
    assert sorted(page for part in plan for page in part.pages) == sorted(pages)
    # About as many pages in each (by a hash of the path, not by order).
    sizes = [len(part.pages) for part in plan[1:]]
    assert max(sizes) - min(sizes) < actors / len(parts) / 2 + 10


def test_a_parts_key_takes_known_digests_only_for_the_files_they_were_taken_from(
    tmp_path: Path,
) -> None:
    pages = ["index.html", "actors/a/index.html", "actors/b/index.html"]
    site = _site_of(tmp_path, pages)
    digests = {
        page: (stamp(site / page), sha256((site / page).read_bytes()).digest()) for page in pages
    }
    keys = [shards.shard_key(site, part, ["v"]) for part in shards.plan(site)]
    assert [shards.shard_key(site, part, ["v"], digests) for part in shards.plan(site)] == keys
    fresh = site / "fresh.html"
    fresh.write_text("<p>changed</p>", encoding="utf-8")
    fresh.replace(site / pages[1])  # a new file: its digest above is not its own
    changed = [shards.shard_key(site, part, ["v"]) for part in shards.plan(site)]
    assert changed != keys
    assert [shards.shard_key(site, part, ["v"], digests) for part in shards.plan(site)] == changed


def test_a_page_stays_in_its_part_as_other_pages_come_and_go(tmp_path: Path) -> None:
    pages = [f"events/e{n}/index.html" for n in range(3 * shards.PART_PAGES)]
    before = {
        page: part.name for part in shards.plan(_site_of(tmp_path, pages)) for page in part.pages
    }
    (tmp_path / pages[0]).unlink()
    _site_of(tmp_path, ["events/new/index.html"])
    after = {page: part.name for part in shards.plan(tmp_path) for page in part.pages}
    assert {page: after[page] for page in pages[1:]} == {page: before[page] for page in pages[1:]}


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("actors", True),
        ("actors-1", True),
        ("events-12", True),
        ("actors-0", False),
        ("actors-01", False),
        ("actors-", False),
        ("actors-x", False),
        ("actors-1-2", False),
        ("actors-\u0661", False),  # an Arabic-Indic one: a digit, but not 0-9
        ("fragment", False),
        ("index", False),
        ("people-1", False),
    ],
)
def test_which_folders_in_the_primary_part_are_other_parts(name: str, part: bool) -> None:
    assert shards.is_part_folder(name) is part


@pytest.mark.parametrize("part_pages", [shards.PART_PAGES, 2], ids=["a part a kind", "split"])
def test_a_warm_build_indexes_again_only_the_parts_whose_pages_changed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    project: Project,
    indexed: list[str],
    part_pages: int,
) -> None:
    monkeypatch.setattr(shards, "PART_PAGES", part_pages)
    site = project.root / "site"
    build_site(project, site)
    part_of = {page: part.output for part in shards.plan(site) for page in part.pages}
    assert sorted(indexed) == sorted(set(part_of.values()))
    if part_pages == 2:
        assert any(part.name.endswith("-2") for part in shards.plan(site))
    before = snapshot(site)
    try:  # one statement no briefing cites, else one a briefing cites
        edit_statement(project.content, False, 0)
    except LookupError:
        edit_statement(project.content, True, 0)
    indexed.clear()
    build_site(project, site)
    after = snapshot(site)
    changed = {p for p in after if p.endswith(".html") and before.get(p) != after[p]}
    assert changed and sorted(indexed) == sorted({part_of[page] for page in changed})
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


def test_the_cache_forgets_parts_the_site_no_longer_has(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = project.root.parent / "cache" / "pagefind"
    build_site(project, project.root / "site")
    assert (cache / "actors").is_dir()
    monkeypatch.setattr(shards, "PART_PAGES", 2)  # the kinds now split in numbered parts
    build_site(project, project.root / "site")
    kept = sorted(p.name for p in cache.iterdir() if not p.name.startswith("."))
    listed = json.loads((project.root / "site" / "pagefind" / shards.SHARDS_FILE).read_text())
    assert kept == sorted(["_primary", *listed]) and "actors" not in kept


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("pagefind/actors/pagefind.js", True),
        ("pagefind/events/wasm.en.pagefind", True),
        ("pagefind/elsewhere/pagefind.js", False),
        ("pagefind/actors/extra.js", False),
        ("pagefind/actors/fragment/evil.mjs", False),
        ("pagefind/actors-2/pagefind-worker.js", True),
        ("pagefind/relations-13/wasm.en.pagefind", True),
        ("pagefind/actors-0/pagefind.js", False),
        ("pagefind/actors-x/pagefind.js", False),
        ("pagefind/actors-2/extra.js", False),
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


@pytest.mark.parametrize("links", [True, False], ids=["linked", "copied"])
def test_a_kept_part_joins_the_site_linked_where_the_file_system_allows(
    project: Project, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    cache = project.root.parent / "cache" / "pagefind"
    site = project.root / "site"
    build_site(project, site)
    first = snapshot(site)
    if not links:  # as on a cache in another file system

        def cross_device(source: str, target: str) -> None:
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(os, "link", cross_device)
    build_site(project, site)  # nothing changed: every part comes from the cache
    assert snapshot(site) == first
    entry = site / "pagefind" / "pagefind-entry.json"
    kept = cache / "_primary" / "index" / "pagefind-entry.json"
    assert os.path.samefile(entry, kept) is links
