"""The site's MkDocs plugin: adds the generated pages in memory (File.generated), never
into docs/, and installs the speed-ups and edit links they need.

The build (briefing.pipeline) registers an instance holding the pages it rendered; the hook
file that mkdocs.yml names (briefing/web/hook.py, for `serve` and a plain `mkdocs build`)
uses one that checks and renders the content itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from briefing.check.checker import check, collector_paused
from briefing.check.memo import SheetMemo
from briefing.check.review import due_sheets, today
from briefing.check.settings import load_settings
from briefing.data.publish import data_files
from briefing.model.errors import BriefingError
from briefing.present.links import FOLDERS, sheet_page
from briefing.project import Project
from briefing.web.render import RenderMemo, archives, render_site_pages
from briefing.web.speedups import (
    MARK,
    THEME_BYTECODE,
    GeneratedHtmlExtension,
    anchor_ids,
    with_raw_headings,
    with_theme_loader,
)

# The editors' notice atop a page past its 'review_by' date (live preview only).
REVIEW_DUE = Markup(
    '<p class="bf-review-due"><strong>Review due</strong> since {} (shown to editors in the '
    "live preview only)</p>\n\n"
)


# The live preview's sheets loaded and pages rendered by earlier rebuilds, by project
# folder: kept by the module, which lives as long as the server's process.
_MEMOS: dict[Path, tuple[SheetMemo, RenderMemo]] = {}


def preview_memo(root: Path) -> tuple[SheetMemo, RenderMemo]:
    """The sheets loaded and pages rendered by this process's earlier preview rebuilds of
    the project at root."""
    return _MEMOS.setdefault(root.resolve(), (SheetMemo(), RenderMemo()))


class _NoOptions(Config):
    """The plugin takes no options from mkdocs.yml: it is built with the pages it adds."""


class SitePages(BasePlugin[_NoOptions]):
    """Generated pages for MkDocs: the ones given, or (given none) the content checked and
    rendered when MkDocs asks for its files."""

    def __init__(self, pages: Mapping[str, str] | None = None) -> None:
        self.pages = pages
        self.command = ""
        # Live preview only: page path -> the 'review_by' date it is past (editors see it;
        # `briefing build`, which readers get, never does).
        self.review_due: dict[str, str] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether MkDocs serves (an editor's preview) or builds."""
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Let generated pages' raw HTML skip Markdown's HTML parsers and the listing of the
        theme's files skip its hidden folders (see speedups.py), and take the site's name
        from content/corpus.yaml's title when it gives one."""
        project = Project(_config_dir(config))
        # Its problems, if any, are the check's to report (the build checks first).
        settings, _ = load_settings(project.root, project.content)
        if settings.title:
            config.site_name = settings.title
        # MkDocs types the list as names, but Markdown takes extension instances too.
        config.markdown_extensions.append(GeneratedHtmlExtension())  # type: ignore[arg-type]
        config.theme.get_env = with_theme_loader(config.theme.get_env)  # type: ignore[method-assign]
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add one page per sheet and the index pages."""
        pages = self.pages
        # The archived texts and data files: the build (pages given) writes them after MkDocs.
        texts: dict[str, str] = {}
        if pages is None:  # serve's server threads make forking unsafe: one process
            project = Project(_config_dir(config))
            try:
                # Serving, a save re-reads only the sheets it changed (check.memo) and
                # makes again only pages whose inputs changed (check.reads, render.RenderMemo).
                serving = self.command == "serve"
                loaded, rendered = preview_memo(project.root) if serving else (None, None)
                checked = check(project, memo=loaded)
                # Rendering makes objects that live on (the memo keeps every context): a
                # full collection scanned them all, most saves (0.07 s at 1,000 sheets).
                with collector_paused():
                    pages = render_site_pages(project, checked=checked, memo=rendered)
                    texts = {**archives(checked), **data_files(checked)}
            except BriefingError as error:
                raise PluginError(f"the content has problems:\n{error}") from None
            if self.command == "serve":
                due = due_sheets(checked.corpus, today())
                self.review_due = {sheet_page(sheet): date.value for sheet, date in due}
        for path, markdown in {**pages, **texts}.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} would hide a generated page; rename or remove it")
            files.append(File.generated(config, path, content=markdown))
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Mark generated pages, whose raw HTML speedups.py stores without parsing; in the
        live preview, say atop a sheet's page that its review is due."""
        if page.file.generated_by is None:
            return markdown
        due = self.review_due.get(page.file.src_uri)
        if due is not None:
            markdown = REVIEW_DUE.format(due) + markdown
        return f"{MARK}\n{markdown}"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Register the anchors of stashed HTML, which MkDocs' own parser no longer saw, and
        list its section headings in the page's table of contents."""
        if page.file.generated_by is not None and page.present_anchor_ids is not None:
            page.present_anchor_ids |= anchor_ids(html)
        if page.file.generated_by is not None:
            page.toc = with_raw_headings(page.toc, html)
        return html

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Reuse the theme's compiled templates: MkDocs compiles them afresh for every build."""
        env.bytecode_cache = THEME_BYTECODE
        return env

    def on_page_context(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any
    ) -> Any:
        """Point the edit action of a sheet's page at its YAML sheet, not at generated Markdown.

        Index pages, the home page and the timeline are made from many sheets: they have no
        edit action. Hand-written pages keep MkDocs' own edit URL into docs/.
        """
        if page.file.generated_by is None or not (config.repo_url and config.edit_uri):
            return context
        folder, _, name = page.file.src_uri.rpartition("/")
        if folder in FOLDERS.values() and name != "index.md":
            # A sheet's file name is its id, so its page maps back to exactly one sheet.
            sheet = f"content/{folder}/{name.removesuffix('.md')}.yaml"
            page.edit_url = sheet_edit_url(config, sheet)
        else:
            page.edit_url = None
        return context


def sheet_edit_url(config: MkDocsConfig, sheet: str) -> str:
    """The editor URL of a file beside docs/ (a sheet), derived from repo_url and edit_uri.

    edit_uri names the docs folder on a branch ('edit/main/docs/'); the same branch and
    action, with the docs folder swapped for the sheet's path, edit the sheet. MkDocs joins
    repo_url and edit_uri the same way for hand-written pages.
    """
    docs = Path(config.docs_dir).resolve().relative_to(_config_dir(config)).as_posix()
    edit_uri = (config.edit_uri or "").rstrip("/")
    if not edit_uri.endswith(docs):
        raise PluginError(
            f"edit_uri '{config.edit_uri}' must end with the docs folder '{docs}/', so that "
            "pages made from sheets can point at content/"
        )
    prefix = edit_uri.removesuffix(docs)
    return urljoin((config.repo_url or "").rstrip("/") + "/", prefix) + sheet


def _config_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent
