"""The MkDocs engine: one strict MkDocs + Material build of the rendered pages into a folder.

`mkdocs build --strict -q` can exit 0 despite warnings, so every warning from any 'mkdocs.*'
logger is collected and fails the build. The pages reach MkDocs through a plugin instance
holding them (briefing.web.plugin), registered in place of the hook file mkdocs.yml names.
Built pages are handed to the post-build inspection (briefing.web.postbuild) as soon as
MkDocs has written them. Given a SiteReuse (briefing.web.reuse), the build is a dirty one
that copies the previous build's unchanged pages instead of building them. The build order,
staging and publishing: briefing.pipeline.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.base import BaseConfigOption
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, PluginCollection
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext
from mkdocs.utils.yaml import yaml_load

from briefing.forked import WorkerPool
from briefing.model.errors import LogCollector
from briefing.project import Project
from briefing.web.plugin import SitePages
from briefing.web.postbuild import Inspection, default_workers
from briefing.web.reuse import SiteReuse

# The hook file mkdocs.yml names: a build registers its own plugin instance instead.
HOOK_FILE = Path(__file__).with_name("hook.py")


def symlinks(folder: Path, root: Path) -> list[str]:
    """Symbolic links in folder, relative to root: MkDocs would publish what they point at."""
    found = []
    for path in [folder, *sorted(folder.rglob("*"))]:
        if path.is_symlink():
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            found.append(shown.as_posix())
    return found


class InspectAsBuilt(BasePlugin):  # type: ignore[type-arg]
    """Hands each built page to the post-build inspection as soon as it is on disk.

    MkDocs writes a page right after its post_page event, before the next page's
    page_context event: so each page_context announces the page built before it. Pages a
    warm build copied (reuse) are announced once copied, their parse taken from the reuse.
    """

    def __init__(
        self, site: Path, reuse: SiteReuse | None = None, pool: WorkerPool | None = None
    ) -> None:
        """pool: the inspection's workers (postbuild.inspection_pool), if forked already; then
        it owns them. Else they are forked once the number of pages is known."""
        self.site = site
        self.reuse = reuse
        self.pool = pool
        self.inspection: Inspection | None = None
        self.previous: str | None = None

    def _start(self, pages: int | None) -> Inspection:
        if self.pool is not None or pages is None:
            pool, self.pool = self.pool, None
            return Inspection(self.site, pool=pool)
        return Inspection(self.site, default_workers(pages))

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.inspection = self._start(len(files.documentation_pages()))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.inspection is not None and self.reuse is not None:
            for shown, copied in sorted(self.reuse.copied.items()):
                if copied.links is not None:
                    self.inspection.known(shown, copied.links)
                else:
                    self.inspection.written(shown)
        return nav

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if self.inspection is not None and self.previous is not None:
            self.inspection.written(self.previous)
        self.previous = page.file.dest_uri
        return context

    def finish(self) -> list[str]:
        """Every unsafe construct, else every broken link, of the finished site, as messages."""
        if self.inspection is None:  # the build did not get as far as reading the pages
            self.inspection = self._start(None)
        published = self.reuse.link_context_before() if self.reuse is not None else None
        kept = self.reuse is not None and self.reuse.cache is not None  # a next build's
        unsafe, broken = self.inspection.finish(published, kept)
        if self.reuse is not None and not unsafe:
            results = self.inspection.results.items()
            self.reuse.inspected(
                {shown: (found.links, found.stamp) for shown, found in results},
                self.inspection.context,
            )
        # Unsafe HTML is reported first: it matters more than a link it may also break.
        return [f"unsafe HTML in the built site: {found}" for found in unsafe] or [
            f"error: {link}" for link in broken
        ]

    def stop_workers(self) -> None:
        if self.inspection is not None:
            self.inspection.stop_workers()

    def close(self) -> None:
        if self.inspection is not None:
            self.inspection.close()
        if self.pool is not None:  # never handed to an inspection
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _other_hooks(config_file: Path) -> list[str]:
    """The hooks mkdocs.yml names, but for the site's own hook file."""
    with config_file.open(encoding="utf-8") as stream:
        raw = yaml_load(stream) or {}
    hooks = raw.get("hooks") or []
    folder = config_file.parent
    return [hook for hook in hooks if (folder / hook).resolve() != HOOK_FILE.resolve()]


def mkdocs_build(
    project: Project,
    pages: Mapping[str, str],
    out: Path,
    inspector: InspectAsBuilt,
    verbose: bool = False,
) -> list[str]:
    """Run one strict MkDocs build of pages (docs-relative path -> Markdown) and docs/ into
    out; return every warning and error it logged."""
    logger = logging.getLogger("mkdocs")
    collector = LogCollector()
    extra = logging.StreamHandler() if verbose else None
    logger.addHandler(collector)
    if extra:
        logger.addHandler(extra)
    previous_level = logger.level
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    # A warm build is a dirty one that keeps navigation, tags and links right (reuse.py):
    # MkDocs' warning that a dirty build may not would fail it in strict mode.
    build_logger = logging.getLogger("mkdocs.commands.build")
    build_logger.addFilter(_not_the_dirty_warning)
    config_file = project.root / "mkdocs.yml"
    try:
        try:
            hooks = _other_hooks(config_file)
        except (OSError, yaml.YAMLError) as error:
            return [f"error: mkdocs.yml: {error}"]
        config = load_config(str(config_file), site_dir=str(out), strict=True, hooks=hooks)
        links = symlinks(Path(config.docs_dir), project.root)
        if links:
            return [f"error: {link}: symbolic links are not allowed in docs/" for link in links]
        config.plugins["briefing"] = SitePages(pages)
        reuse = inspector.reuse
        if reuse is not None:  # a dirty build, in which it says which pages are modified
            config.plugins["briefing-reuse"] = reuse
        config.plugins["briefing-inspection"] = inspector  # last: sees the generated pages
        config.plugins.on_startup(command="build", dirty=reuse is not None)
        try:
            build(config, dirty=reuse is not None)
        finally:
            config.plugins.on_shutdown()
            _forget_build(config)
    except MkDocsException as error:
        collector.messages.append(f"error: {error}")
    finally:
        build_logger.removeFilter(_not_the_dirty_warning)
        logger.removeHandler(collector)
        if extra:
            logger.removeHandler(extra)
        logger.setLevel(previous_level)
    return collector.messages


def _forget_build(config: MkDocsConfig) -> None:
    """Make MkDocs let go of a finished build, so that its pages can be freed.

    MkDocs' configuration options are class attributes of MkDocsConfig, shared by every
    configuration: the plugins option keeps the last configuration, its plugins and their
    instances (reused by `serve`'s rebuilds), and others keep the configuration too. Through
    them the tags plugin keeps its listings' pages, and so every page of the site with its
    HTML and the navigation: at 10,000 sheets, most of a gigabyte for the rest of the build.
    """
    seen: set[int] = set()
    options: list[object] = [option for _, option in type(config)._schema]
    while options:
        option = options.pop()
        if id(option) in seen or not isinstance(option, BaseConfigOption):
            continue
        seen.add(id(option))
        for name, value in list(vars(option).items()):
            if value is config:
                setattr(option, name, None)
            elif isinstance(value, PluginCollection):
                setattr(option, name, PluginCollection())
            elif name == "plugin_cache" and isinstance(value, dict):
                value.clear()
            elif isinstance(value, BaseConfigOption):
                options.append(value)


def serve(project: Project, dev_addr: str) -> None:
    """Live preview: MkDocs' server, watching content/ and templates/ (set in mkdocs.yml)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # Dirty builds: each save rebuilds only the pages it changed (briefing.web.preview),
    # which also keeps the navigation, tags and search right, so MkDocs' warning that a
    # dirty build may not is left out (it would also count against strict mode).
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)
    mkdocs_serve(
        config_file=str(project.root / "mkdocs.yml"),
        dev_addr=dev_addr,
        livereload=True,
        build_type="dirty",
    )


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")
