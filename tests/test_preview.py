"""The live preview's dirty builds (briefing.web.preview, through the hook `serve` loads):
only the pages a save changed are rebuilt, and the served site then equals a clean build."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from briefing.project import Project
from briefing.web import preview
from briefing.web.site import _not_the_dirty_warning
from tests.helpers import make_corpus, snapshot

SERVE_URL = "http://127.0.0.1:8631/"


def served(project: Project, site: Path, dirty: bool) -> int:
    """One build as the preview server runs it; the pages the hook handed to MkDocs."""
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, serve_url=SERVE_URL, dirty=dirty)
    return preview.pages_rebuilt(config)


@pytest.fixture(autouse=True)
def quiet_dirty_warning() -> object:
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(_not_the_dirty_warning)
    yield
    logger.removeFilter(_not_the_dirty_warning)
    preview.on_startup("build", False)  # MkDocs keeps plugins (and this state) per process


def edit(project: Project, sheet: str, old: str, new: str) -> None:
    path = project.content / sheet
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_save_rebuilds_only_what_changed_and_equals_a_clean_build(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    china = project.content / "actors" / "china.yaml"
    china.write_text(china.read_text() + "tags: [axis]\n", encoding="utf-8")
    site = tmp_path / "served"
    first = _start_serving(project, site)
    assert first > 10  # the first build of a server: every page
    edit(project, "actors/russia.yaml", "summary:", "summary: Freshly edited.")
    again = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    rebuilt = _build(again)
    assert 0 < rebuilt < first / 2
    assert "Freshly edited." in (site / "actors/russia/index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    served(project, clean, dirty=False)
    dirty_files, clean_files = snapshot(site), snapshot(clean)
    for files in (dirty_files, clean_files):
        files.pop("sitemap.xml.gz", None)  # gzip stamps the time
    assert dirty_files == clean_files
    assert "axis" in (site / "tags/index.html").read_text(encoding="utf-8")


def test_a_deleted_sheet_leaves_the_served_site_and_its_sitemap(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "served"
    _start_serving(project, site)
    extra = project.content / "actors" / "extra.yaml"
    extra.write_text(
        (project.content / "actors" / "russia.yaml")
        .read_text()
        .replace("id: russia", "id: extra")
        .replace("title: Russia", "title: Extra"),
        encoding="utf-8",
    )
    _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
    assert (site / "actors/extra/index.html").is_file()
    extra.unlink()
    _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
    assert not (site / "actors/extra").exists()
    assert "actors/extra/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def _start_serving(project: Project, site: Path) -> int:
    """The first build of a live-preview server of project into site: pages built."""
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    return _build(config)


def _build(config: object) -> int:
    build(config, serve_url=SERVE_URL, dirty=True)  # type: ignore[arg-type]
    return preview.pages_rebuilt(config)  # type: ignore[arg-type]


def test_a_change_to_mkdocs_yml_or_docs_rebuilds_every_page(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "served"
    first = _start_serving(project, site)
    assert _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))) == 0
    settings = project.root / "mkdocs.yml"
    settings.write_text(settings.read_text() + "\n# edited\n", encoding="utf-8")
    assert _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))) == first


def clean_copy(project: Project, tmp_path: Path, name: str) -> Path:
    """A clean build of a copy of project (a new folder, so nothing the preview process
    remembers of project applies); the built site without its time-stamped sitemap."""
    copy = tmp_path / name
    shutil.copytree(project.root, copy / "project")
    # The preview's state is the process's (one server per process): keep the served one.
    serving = preview._PREVIEW[0]
    try:
        served(Project(copy / "project"), copy / "site", dirty=False)
    finally:
        preview._PREVIEW[0] = serving
    return copy / "site"


def same_site(one: Path, other: Path) -> None:
    files = [snapshot(one), snapshot(other)]
    for found in files:
        found.pop("sitemap.xml.gz", None)  # gzip stamps the time
    assert files[0] == files[1]


def test_saves_adds_deletes_and_errors_each_serve_what_a_clean_build_does(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = make_corpus(tmp_path)
    actors = project.content / "actors"
    first, *others = sorted(actors.glob("*.yaml"))
    for tagged in others:  # pages not rebuilt still give their tags to the tags listing
        tagged.write_text(tagged.read_text(encoding="utf-8") + "tags: [axis]\n", encoding="utf-8")
    site = tmp_path / "served"
    _start_serving(project, site)
    extra = actors / "extra.yaml"
    page = site / "actors" / first.stem / "index.html"
    saves = [
        lambda: edit(project, f"actors/{first.name}", "summary:", "summary: Freshly edited."),
        lambda: extra.write_text(
            first.read_text(encoding="utf-8").replace(f"id: {first.stem}", "id: extra"),
            encoding="utf-8",
        ),
        # The new sheet is named from another: that one's page changes too (its backlinks).
        lambda: edit(project, "actors/extra.yaml", "summary:", "summary: See [[china]]."),
        lambda: extra.unlink(),
        lambda: edit(project, f"actors/{first.name}", "Freshly", "Newly"),
        # A template edited: every page is rendered again.
        lambda: (project.templates / "actor.md.j2").write_text(
            (project.templates / "actor.md.j2").read_text(encoding="utf-8") + "\nEdited.\n",
            encoding="utf-8",
        ),
    ]
    for step, save in enumerate(saves):
        save()
        _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
        same_site(site, clean_copy(project, tmp_path, f"clean-{step}"))
    # A save that breaks a sheet: the rebuild fails naming the place, the page stays served.
    before = page.read_bytes()
    edit(project, f"actors/{first.name}", "summary:", "summary: See [[nowhere]].")
    with pytest.raises(Abort):
        _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
    assert re.search(rf"^content/actors/{first.name}:\d+:\d+: .*'nowhere'", caplog.text, re.M)
    assert page.read_bytes() == before
    edit(project, f"actors/{first.name}", "summary: See [[nowhere]].", "summary:")
    _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
    same_site(site, clean_copy(project, tmp_path, "clean-fixed"))
    assert "axis" in (site / "tags/index.html").read_text(encoding="utf-8")


def test_the_preview_is_told_of_a_save_without_polling(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.inotify import InotifyObserver

    docs, content = tmp_path / "docs", tmp_path / "content"
    docs.mkdir()
    content.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(docs))
    server.watch(str(docs))
    preview.watch_without_polling(server, [str(content)])
    server.watch(str(content))  # what MkDocs does next: counted, not watched twice
    assert isinstance(server.observer, InotifyObserver)
    assert len(server._watch_refs) == 2
    assert server.build_delay == preview.QUIET_BEFORE_BUILD
    (content / "old.yaml").write_text("id: old\n", encoding="utf-8")
    server.observer.start()
    try:
        # A build reads every sheet: reading is no change (or every build starts another).
        assert (content / "old.yaml").read_text(encoding="utf-8") == "id: old\n"
        with server._rebuild_cond:
            assert not server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=0.3)
        (content / "sheet.yaml").write_text("id: x\n", encoding="utf-8")
        with server._rebuild_cond:
            # MkDocs polls every 0.5 s; told by the kernel, the server knows well before.
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=0.4)
    finally:
        server.observer.stop()
        server.observer.join()


def test_the_preview_polls_when_the_system_refuses_inotify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.inotify import InotifyObserver

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(24, "inotify instance limit reached")

    monkeypatch.setattr(InotifyObserver, "schedule", refuse)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path))
    polling = server.observer
    preview.watch_without_polling(server, [str(tmp_path)])
    assert server.observer is polling
    assert server._watched_paths == {str(tmp_path): 1}


RELATION = """\
id: china-russia
title: China and Russia
summary: Trade between [[china]] and [[russia]].
actors: [china, russia]
types: [trade]
statements:
  - id: trade
    text: Trade between China and Russia reached a record $240 billion last year.
    kind: reported
    source: article
    quote: Trade between China and Russia reached a record $240 billion last year.
"""


def test_saves_that_change_what_other_pages_show_serve_what_a_clean_build_does(
    tmp_path: Path,
) -> None:
    project = make_corpus(tmp_path)
    site = tmp_path / "served"
    _start_serving(project, site)
    relation = project.content / "relations" / "china-russia.yaml"
    russia = project.content / "actors" / "russia.yaml"

    def rename_russia() -> None:
        for sheet in project.content.rglob("*.yaml"):
            text = re.sub(r"(?<![\w-])russia(?![\w-])", "rossiya", sheet.read_text())
            sheet.write_text(text, encoding="utf-8")
        russia.rename(russia.with_name("rossiya.yaml"))

    def add_relation() -> None:
        relation.parent.mkdir(exist_ok=True)
        relation.write_text(RELATION, encoding="utf-8")

    saves = [
        # Russia's page links to China by its name, and lists it among its backlinks.
        lambda: edit(project, "actors/china.yaml", "name: China", "name: Cathay"),
        # A new relation between two actors: both pages list it and draw it.
        add_relation,
        # Russia renamed: its id, its file and every reference to it.
        rename_russia,
        lambda: edit(
            project, "relations/china-russia.yaml", "title: China and", "title: Cathay and"
        ),
        lambda: relation.unlink(),
    ]
    for step, save in enumerate(saves):
        save()
        _build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)))
        same_site(site, clean_copy(project, tmp_path, f"clean-{step}"))
    assert "Cathay" in (site / "actors/rossiya/index.html").read_text(encoding="utf-8")
