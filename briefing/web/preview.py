"""The live preview redoes only what a save changed: MkDocs' dirty build, told which pages.

`briefing serve` runs MkDocs' server with dirty builds. Every save checks the whole corpus
again (briefing.web.plugin), then makes again only the pages and data-file records whose
inputs changed: each remembers what it read of the corpus, and is reused while every read
has the same answer (briefing.check.reads; web.render.RenderMemo, data.facts, data.annotations).
MkDocs then converts, renders and writes only:

- generated pages whose Markdown differs from the previous build's (a content hash, kept
  here between the server's rebuilds), and hand-written pages whose file is newer than
  their built copy (MkDocs' own rule);
- every page, when anything else a page is made from may have changed: mkdocs.yml, a file
  in docs/ or in the theme's custom_dir (the navigation and the page template come from
  them), or this is the server's first build;
- the tags listing pages, whose list is made from every page.

What stays right without rebuilding every page (MkDocs' plain dirty mode gets these wrong):

- tags: the pages not rebuilt are read (front matter only) and handed to Material's tags
  plugin, so its listings hold every tagged page;
- search: readers' search is Pagefind's index of a full build (briefing.web.search), so the
  preview has none to keep right (its search box says search is not available);
- a sheet deleted: its built page is deleted from the served site.

A save is seen at once: MkDocs' server polls the watched folders every half second (a
quarter of a second's wait on average, and a walk of every file each time); on Linux the
preview is told of changes by the kernel instead (inotify; see watch_without_polling).

Nothing here runs in `briefing build`, which always builds every page.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from watchdog import events
from watchdog.observers.api import ObservedWatch

# Where a page's Markdown includes a listing of tags (Material's tags plugin).
TAGS_LISTING = "<!-- material/tags"


@dataclass
class _Preview:
    """What the previous build of one served site was made from."""

    dirty: bool = False
    context: str | None = None  # signature of everything but the generated pages
    hashes: dict[str, str] = field(default_factory=dict)  # generated file -> content hash
    # Generated file -> the text its hash was taken of: render's memo hands back the very
    # same string for a page it did not render again, which then needs no hashing (hashing
    # every page was a tenth of a save's rebuild at 3,000 sheets).
    texts: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # generated file -> its dest path
    pages: set[str] = field(default_factory=set)  # the URL of every page of the site
    rebuilt: int = 0  # pages handed to MkDocs in the latest build
    # Content hash -> (Markdown, front matter) of generated pages read without being rebuilt.
    sources: dict[str, tuple[str, MutableMapping[str, Any]]] = field(default_factory=dict)


# The site this process serves (the hook module outlives each of the server's rebuilds).
_PREVIEW = [_Preview()]


def _state(config: MkDocsConfig) -> _Preview:
    return _PREVIEW[0]


def on_startup(command: str, dirty: bool) -> None:
    """Start afresh: dirty builds only when serving with them (`briefing serve`)."""
    _PREVIEW[0] = _Preview(dirty=command == "serve" and dirty)


def _context(config: MkDocsConfig, files: Files) -> str:
    """A signature of mkdocs.yml, the hand-written files and the theme's custom templates."""
    digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
    for file in files:
        if file.generated_by is None and file.abs_src_path:
            digest.update(f"{file.src_uri}:{os.stat(file.abs_src_path).st_mtime_ns}\n".encode())
    custom = config.theme.custom_dir
    if custom and Path(custom).is_dir():
        for path in sorted(Path(custom).rglob("*")):
            digest.update(f"{path}:{path.stat().st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _hash(file: File, state: _Preview, texts: dict[str, str]) -> str:
    """The content hash of a generated file, taken again only if its text is a new string."""
    text = file.content_string
    texts[file.src_uri] = text
    known = state.hashes.get(file.src_uri)
    if known is not None and state.texts.get(file.src_uri) is text:
        return known
    return hashlib.sha256(file.content_bytes).hexdigest()


def mark_modified(config: MkDocsConfig, files: Files) -> None:
    """In a dirty preview, tell MkDocs which files a save changed (see the module's text)."""
    state = _state(config)
    if not state.dirty:
        return
    context = _context(config, files)
    everything = state.context != context
    hashes: dict[str, str] = {}
    texts: dict[str, str] = {}
    urls: dict[str, str] = {}
    rebuilt = 0
    for file in files:
        if file.generated_by is None:
            if file.is_documentation_page() and (everything or TAGS_LISTING in file.content_string):
                file.is_modified = _always  # type: ignore[method-assign]
            continue
        hashes[file.src_uri] = digest = _hash(file, state, texts)
        urls[file.src_uri] = file.dest_uri
        changed = everything or state.hashes.get(file.src_uri) != digest
        file.is_modified = _always if changed else _never  # type: ignore[method-assign]
        rebuilt += changed and file.is_documentation_page()
    site = Path(config.site_dir)
    for gone in set(state.urls) - set(urls):  # a sheet deleted: its page goes too
        _remove(site, state.urls[gone])
    state.context, state.hashes, state.urls, state.rebuilt = context, hashes, urls, rebuilt
    state.texts = texts
    # A page's URL as search entries give it: the home page's is '', not './'.
    state.pages = {file.url.removeprefix("./") for file in files.documentation_pages()}


def _always() -> bool:
    return True


def _never() -> bool:
    return False


def _remove(site: Path, dest_uri: str) -> None:
    target = site / dest_uri
    if target.is_file():
        target.unlink()
    folder = target.parent
    if folder != site and folder.is_dir() and not any(folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def read_unchanged(config: MkDocsConfig, files: Files) -> None:
    """Read the front matter of pages not rebuilt and hand their tags to the tags plugin."""
    if not _state(config).dirty:
        return
    tags = config.plugins.get("material/tags") or config.plugins.get("tags")
    mappings = getattr(tags, "mappings", None)
    state = _state(config)
    # MkDocs' own reading, unless another plugin reads pages its own way.
    own_reading = not config.plugins.events["page_read_source"]
    sources: dict[str, tuple[str, MutableMapping[str, Any]]] = {}
    for file in files.documentation_pages():
        page = file.page
        if page is None or file.is_modified():
            continue
        digest = state.hashes.get(file.src_uri) if file.generated_by is not None else None
        if page.markdown is None and digest is not None and own_reading:
            # The same text parses to the same front matter (PyYAML's pure-Python loader
            # took a tenth of a save's rebuild): parsed once while the page is unchanged.
            known = state.sources.get(digest)
            if known is None:
                page.read_source(config)
                known = (page.markdown or "", _copied(page.meta))
            page.markdown, page.meta = known[0], _copied(known[1])
            sources[digest] = known
        elif page.markdown is None:
            page.read_source(config)
        if mappings is not None and page.markdown is not None:
            mappings.add(page, page.markdown)
    state.sources = sources


def _copied(value: Any) -> Any:
    """A copy of parsed front matter that shares nothing mutable with it (a plugin may change
    a page's meta): copy.deepcopy's bookkeeping cost as much as parsing it again."""
    kind = type(value)
    if kind is dict:
        return {key: _copied(item) for key, item in value.items()}
    if kind is list:
        return [_copied(item) for item in value]
    if kind in (str, int, float, bool, type(None)):
        return value
    return copy.deepcopy(value)  # what else PyYAML's safe loader makes (dates, sets...)


def pages_rebuilt(config: MkDocsConfig) -> int:
    """How many pages the latest dirty build handed to MkDocs (for the benchmark's log)."""
    return _state(config).rebuilt


# The file-system events that mean a file changed (inotify also reports opens and reads).
CHANGES = (
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileClosedEvent,  # closed after writing
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.DirCreatedEvent,
    events.DirMovedEvent,
    events.DirDeletedEvent,
)


# Seconds without a change before a rebuild starts, when inotify reports changes.
QUIET_BEFORE_BUILD = 0.05


def watch_without_polling(server: LiveReloadServer, later: list[str]) -> LiveReloadServer:
    """Have the server watch its paths through inotify rather than polling, where it can.

    Called from the server's on_serve event, before the server starts its observer: the
    paths watched so far, and those the server watches next (mkdocs.yml's watch list, given
    as later; watching a path again then only counts it), are watched through inotify. If
    the system refuses (its limit of inotify instances reached), MkDocs' polling stays.
    """
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # not Linux: MkDocs' polling stays
        return server

    class ChangesOnly(InotifyObserver):
        """Reports what polling sees (a file made, changed, moved or deleted), not reads:
        every build opens the sheets, and MkDocs rebuilds on any event, so reporting
        opened files (inotify does) rebuilt the site over and over."""

        def schedule(self, *args: Any, **kwargs: Any) -> ObservedWatch:
            kwargs["event_filter"] = kwargs.get("event_filter") or list(CHANGES)
            return super().schedule(*args, **kwargs)

    polling, watched, refs = server.observer, dict(server._watched_paths), server._watch_refs
    try:
        # MkDocs types its observer as the polling one; both are watchdog BaseObservers.
        server.observer = ChangesOnly()  # type: ignore[assignment]
        server._watched_paths, server._watch_refs = {}, {}
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)
        for path in later:
            server.watch(path)
            server._watched_paths[os.path.abspath(path)] -= 1  # the server's own watch() adds it
    except OSError:
        server.observer, server._watched_paths, server._watch_refs = polling, watched, refs
        return server
    # MkDocs waits for 0.1 s without events before building, to take a burst of changes
    # (a checkout) as one; told at once rather than every half second, half of it does.
    server.build_delay = QUIET_BEFORE_BUILD
    return server
