"""MkDocs hook: adds the generated pages in memory (File.generated), never into docs/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from briefing.model.errors import BriefingError
from briefing.present.views import FOLDERS
from briefing.project import Project
from briefing.web.render import render_site_pages
from briefing.web.site import CHECKED, PDF_LINKS, WORKERS
from briefing.web.speedups import MARK, THEME_BYTECODE, GeneratedHtmlExtension, anchor_ids


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Let generated pages' raw HTML skip Markdown's HTML parsers (see briefing/web/speedups.py)."""
    config.markdown_extensions.append(GeneratedHtmlExtension())  # type: ignore[arg-type]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Check and render the content, then add one page per sheet and the index pages."""
    project = Project(Path(config.config_file_path).resolve().parent)
    try:
        # build_site sets these: PDF links when it writes the PDFs too, processes to work in,
        # and the corpus if its caller checked it already; serve (whose server threads make
        # forking unsafe) and plain builds do not.
        pages = render_site_pages(
            project,
            pdf_links=bool(config.extra.get(PDF_LINKS)),
            workers=int(config.extra.get(WORKERS, 1)),
            checked=config.extra.get(CHECKED),
        )
    except BriefingError as error:
        raise PluginError(f"the content has problems:\n{error}") from None
    for path, markdown in pages.items():
        if files.get_file_from_path(path) is not None:
            raise PluginError(f"docs/{path} would hide a generated page; rename or remove it")
        files.append(File.generated(config, path, content=markdown))
    return files


def on_page_markdown(markdown: str, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
    """Mark generated pages, whose raw HTML briefing/web/speedups.py stores without parsing."""
    return f"{MARK}\n{markdown}" if page.file.generated_by is not None else markdown


def on_page_content(html: str, page, config: MkDocsConfig, files: Files) -> str:  # type: ignore[no-untyped-def]
    """Register the anchors of stashed HTML, which MkDocs' own parser no longer saw."""
    if page.file.generated_by is not None and page.present_anchor_ids is not None:
        page.present_anchor_ids |= anchor_ids(html)
    return html


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Reuse the theme's compiled templates: MkDocs compiles them afresh for every build."""
    env.bytecode_cache = THEME_BYTECODE
    return env


def sheet_edit_url(config: MkDocsConfig, sheet: str) -> str:
    """The editor URL of a file beside docs/ (a sheet), derived from repo_url and edit_uri.

    edit_uri names the docs folder on a branch ('edit/main/docs/'); the same branch and
    action, with the docs folder swapped for the sheet's path, edit the sheet. MkDocs joins
    repo_url and edit_uri the same way for hand-written pages.
    """
    docs = Path(config.docs_dir).resolve().relative_to(_config_dir(config)).as_posix()
    edit_uri = config.edit_uri.rstrip("/")
    if not edit_uri.endswith(docs):
        raise PluginError(
            f"edit_uri '{config.edit_uri}' must end with the docs folder '{docs}/', so that "
            "pages made from sheets can point at content/"
        )
    prefix = edit_uri.removesuffix(docs)
    return urljoin(config.repo_url.rstrip("/") + "/", prefix) + sheet


def _config_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_page_context(context: dict, page, config: MkDocsConfig, nav) -> dict:  # type: ignore[no-untyped-def]
    """Point the edit action of a sheet's page at its YAML sheet, not at generated Markdown.

    Index pages, the home page and the timeline are made from many sheets: they have no edit
    action. Hand-written pages keep MkDocs' own edit URL into docs/.
    """
    if page.file.generated_by is None or not (config.repo_url and config.edit_uri):
        return context
    folder, _, name = page.file.src_uri.rpartition("/")
    if folder in FOLDERS.values() and name != "index.md":
        # A sheet's file name is its id, so its page maps back to exactly one sheet.
        page.edit_url = sheet_edit_url(config, f"content/{folder}/{name.removesuffix('.md')}.yaml")
    else:
        page.edit_url = None
    return context
