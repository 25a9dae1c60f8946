"""Stage: the rendered Markdown of every page, the hand-written docs and a config without hooks,
written to a folder that any MkDocs-compatible engine can build as it is.

The MkDocs hook (briefing/web/hook.py) adds the generated pages in memory. Engines that run no
hooks (Zensical) or that we want to try without our hook (plain MkDocs, ProperDocs) build this
folder instead:

    DIR/mkdocs.yml          the project's mkdocs.yml less hooks and watch; docs_dir docs,
                            theme.custom_dir absolute, no edit links (see stage_config)
    DIR/docs/               a copy of docs/ plus every generated page, each as
                            NAME/index.md (see nested_path)
    DIR/.briefing-stage     marks DIR as stage output, so a later stage may replace it

Order: refuse a foreign folder, render (which checks unless given the checked corpus), then
write the config, the hand-written docs and the pages.
"""

from __future__ import annotations

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.data.publish import write_data
from briefing.model.errors import StageError
from briefing.project import Project
from briefing.web.render import render_site_pages, write_archives

MARKER = ".briefing-stage"
MARKER_TEXT = "Written by `briefing stage`; the next stage into this folder replaces it.\n"
# What a stage writes into DIR, and so what a later stage removes before writing again.
WRITTEN = ("mkdocs.yml", "docs", MARKER)
# Keys of mkdocs.yml that only make sense beside the hook or the project's own folders.
DROPPED_KEYS = ("hooks", "watch")

# A Markdown link to a local page: ](path.md) or ](path.md#anchor).
_MD_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:)([^)#\s]+\.md)(#[^)\s]*)?\)")

HEADER = """\
# Written by `briefing stage` from {source}; edit that file, not this one.
# No hooks: every generated page is already in docs/. Build with any engine, e.g.
#   mkdocs build -f {config}
"""


@dataclass(frozen=True)
class Staged:
    """What a stage wrote: the folder, its config, and how many pages of each origin."""

    folder: Path
    config: Path
    generated: int
    handwritten: int


def check_target(folder: Path) -> None:
    """Refuse to write into a non-empty folder that an earlier stage did not write."""
    if folder.exists() and not folder.is_dir():
        raise StageError(f"{folder} exists and is not a folder; choose another place to stage")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise StageError(
            f"{folder} is not empty and was not written by `briefing stage`; "
            "choose an empty or new folder"
        )


def _load_config(path: Path) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        # e.g. a !ENV or !!python tag, which only MkDocs' own loader understands.
        raise StageError(f"{path}: cannot be staged: {error}") from None
    if not isinstance(loaded, dict):
        raise StageError(f"{path}: expected a mapping at the top")
    return loaded


def source_docs(project: Project) -> Path:
    """The project's hand-written docs folder, as its mkdocs.yml names it."""
    config = _load_config(project.root / "mkdocs.yml")
    return project.root / str(config.get("docs_dir", "docs"))


def stage_config(project: Project) -> dict[str, Any]:
    """The project's mkdocs.yml, rewritten for a staged folder that needs no hook.

    - hooks and watch go: the pages the hook adds are in docs/ already;
    - docs_dir is the staged docs/, site_dir DIR/site (engines are told where to build);
    - the theme's custom_dir becomes absolute, so overrides still come from templates/theme;
    - edit links go: the hook points a sheet's edit button at its YAML sheet, and without it
      they would open generated Markdown that is not in the repository.
    """
    config = _load_config(project.root / "mkdocs.yml")
    for key in DROPPED_KEYS:
        config.pop(key, None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["edit_uri"] = ""
    theme = config.get("theme")
    if isinstance(theme, dict):
        custom = theme.get("custom_dir")
        if isinstance(custom, str):
            theme["custom_dir"] = (project.root / custom).resolve().as_posix()
        features = theme.get("features")
        if isinstance(features, list):
            theme["features"] = [f for f in features if f != "content.action.edit"]
    return config


def nested_path(path: str) -> str:
    """Where a generated page is staged: 'actors/china.md' -> 'actors/china/index.md'.

    The render stage writes links in raw HTML relative to the page's URL ('../russia/' from
    actors/china/). MkDocs leaves them alone; Zensical 0.0.73 resolves them against the
    Markdown file's folder instead, one level too high for 'actors/china.md'. Staged as
    'actors/china/index.md', the file's folder is the page's URL, so both engines agree, and
    with directory URLs the page's URL is the same either way.
    """
    if path == "index.md" or path.endswith("/index.md"):
        return path
    return path.removesuffix(".md") + "/index.md"


def _moved_links(markdown: str, page: str, moved: dict[str, str]) -> str:
    """Point a hand-written page's Markdown links to staged pages at their nested path."""
    folder = posixpath.dirname(page)

    def replace(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(1)))
        if target not in moved:
            return match.group(0)
        relative = posixpath.relpath(moved[target], folder or ".")
        return f"]({relative}{match.group(2) or ''})"

    return _MD_LINK.sub(replace, markdown)


def _moved_nav(nav: Any, moved: dict[str, str]) -> Any:
    """The nav with every page that was staged elsewhere at its new path."""
    if isinstance(nav, str):
        return moved.get(nav, nav)
    if isinstance(nav, list):
        return [_moved_nav(item, moved) for item in nav]
    if isinstance(nav, dict):
        return {key: _moved_nav(value, moved) for key, value in nav.items()}
    return nav


def _symlinks(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*")) if p.is_symlink()]


def _clear(folder: Path) -> None:
    """Remove what an earlier stage wrote (and only that) from folder."""
    for name in WRITTEN:
        path = folder / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def write_stage(
    project: Project, folder: Path, pages: dict[str, str], config: dict[str, Any]
) -> Staged:
    """Write config, the hand-written docs and the generated pages into folder."""
    check_target(folder)
    handwritten_docs = source_docs(project)
    links = _symlinks(handwritten_docs)
    if links:
        raise StageError("symbolic links are not allowed in docs/: " + ", ".join(links))
    handwritten = sorted(
        p.relative_to(handwritten_docs).as_posix()
        for p in handwritten_docs.rglob("*")
        if p.is_file()
    )
    existing = set(handwritten)
    hidden = [path for path in pages if path in existing]
    if hidden:
        raise StageError(f"docs/{hidden[0]} would hide a generated page; rename or remove it")
    moved = {path: nested_path(path) for path in pages if nested_path(path) != path}
    clash = sorted(set(moved.values()) & (existing | set(pages)))
    if clash:
        raise StageError(f"docs/{clash[0]} would hide a generated page; rename or remove it")
    config = {**config, "nav": _moved_nav(config.get("nav"), moved)} if "nav" in config else config
    folder.mkdir(parents=True, exist_ok=True)
    _clear(folder)
    docs = folder / "docs"
    shutil.copytree(handwritten_docs, docs)
    for name in handwritten:
        if name.endswith(".md"):
            page = docs / name
            text = page.read_text(encoding="utf-8")
            page.write_text(_moved_links(text, name, moved), encoding="utf-8")
    for path, markdown in pages.items():
        target = docs / nested_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
    config_path = folder / "mkdocs.yml"
    header = HEADER.format(source=project.root / "mkdocs.yml", config=config_path)
    body = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    config_path.write_text(header + body, encoding="utf-8")
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    markdown_pages = sum(1 for name in handwritten if name.endswith(".md"))
    return Staged(folder, config_path, len(pages), markdown_pages)


def stage(
    project: Project, folder: Path, workers: int = 1, checked: Checked | None = None
) -> Staged:
    """Render every generated page and stage it, with docs/ and a hook-free config, in folder."""
    folder = folder.resolve()
    # Refuse before the slow part: checking and rendering the whole corpus.
    check_target(folder)
    config = stage_config(project)
    checked = checked if checked is not None else check(project, workers)
    pages = render_site_pages(project, pdf_links=False, workers=workers, checked=checked)
    staged = write_stage(project, folder, pages, config)
    write_archives(checked, folder / "docs")  # the engine copies them into the site
    write_data(checked, folder / "docs")
    return staged
