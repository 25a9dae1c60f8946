"""The hook mkdocs.yml names, for `briefing serve` and a plain `mkdocs build`: the site's
plugin (briefing.web.plugin), checking and rendering the content itself; under `serve`, a
dirty build that redoes only the pages a save changed (briefing.web.preview).

`briefing build` does not load this file: it registers a plugin holding the pages it has
already rendered (briefing.pipeline).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from briefing.web import preview
from briefing.web.plugin import SitePages

_SITE = SitePages()
on_config = _SITE.on_config
on_page_markdown = _SITE.on_page_markdown
on_page_content = _SITE.on_page_content
on_page_context = _SITE.on_page_context


def on_startup(*, command: str, dirty: bool) -> None:
    _SITE.on_startup(command=command, dirty=dirty)  # "review due" shows only when serving
    preview.on_startup(command, dirty)


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    files = _SITE.on_files(files, config=config)
    preview.mark_modified(config, files)
    return files


def on_serve(server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> Any:
    # A save is seen at once, not polled for.
    return preview.watch_without_polling(server, list(config.watch))


@event_priority(200)  # before the tags plugin fills its listings (priority 100)
def on_env(env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
    preview.read_unchanged(config, files)
    return _SITE.on_env(env, config=config, files=files)
