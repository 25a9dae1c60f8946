"""A warm `briefing build`: the previous build's unchanged pages are copied, not built again.

MkDocs runs a dirty build in which only some pages are "modified"; the others are copied
from the published site/ into the staging folder before MkDocs writes anything. A page is
copied only when all of these hold, else it is built:

- the context signature (briefing.web.signature) equals the previous build's: everything a
  page's HTML depends on besides its own Markdown. That is mkdocs.yml's bytes and the loaded
  configuration's plain values (so !ENV values and the site name content/corpus.yaml sets),
  the build date, the versions of Python, MkDocs, Material, Markdown, pymdown-extensions,
  Jinja2, MarkupSafe, Pygments and Babel, the source of briefing's engine-side code
  (briefing/web/*.py: the plugin, its Markdown speed-ups, this module), the bytes of every
  hand-written file (docs/ and the theme's static files) and of every file in the theme's
  custom_dir (its templates and partials), and the navigation: every section, link and page
  in order, with its title as configured, or, for a page whose title comes from its
  Markdown, that Markdown's hash (the nav, drawn on every page, shows the titles; prev/next
  links exist only on nav pages);
- no plugin runs but Material's tags and briefing's own (another plugin or hook could make
  pages depend on each other: then every page is built);
- the page's Markdown (its source bytes) hashes as in the previous build, at the same URL;
- the page is not a tags listing (made from every page's tags: always built), and, if it is
  in the nav, its title is configured there (else it is built, so the nav has its title);
- the file in site/ is the one recorded when it was published (the same size, modification
  time and inode, or else the same hash), and that build left it as MkDocs wrote it (a page
  a later stage edits, such as the PDF list, is always built).

A copied page is a hard link to the published file where the file system allows (a copy
elsewhere): at 1,000 sheets, reading, hashing and writing the pages took 0.14 s, linking
them 0.07 s, and removing the previous site afterwards frees no page's bytes.

What the copied pages do not get from MkDocs (its own link validation runs on built pages
only) the post-build inspection gives every page of the staged site: the link check
resolves every page's links and anchors against the whole new site, unless the site has the
same files, and every page the same ids, as the published build (a hash of both is kept in
the manifest): then a copied page's links say what they said there, where none was broken,
and only the other pages' are checked. Its parse of a copied page (ids and links) is
reused from the manifest, keyed by the page's HTML hash.

Files MkDocs makes from every page (404.html, sitemap.xml) are theme templates it renders on
every build. Material's tags plugin gets the tags of copied pages from their front matter,
and the listings their titles: the manifest keeps each page's front matter as MkDocs read it
(when it is plain JSON data), which a copied page, having the same Markdown, gets again
without YAML (1,019 parses: 0.025 s of a build after an edit at 1,000 sheets, measured).

The manifest (site/manifest.json in the cache folder, briefing.pdf.cache.cache_root) is
replaced only after a build is published, and it describes files by hash and stamp: a failed
or interrupted build, or a site/ changed by hand, can only make pages be built again. (A
hand edit that keeps a file's size and sets its modification time back, on the same inode,
is taken for the file recorded, as make and rsync would take it; whoever can do that can
also rewrite the manifest.)
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import YAML_RE

from briefing.pdf.cache import cache_root
from briefing.project import Project
from briefing.web.linkcheck import PageLinks
from briefing.web.signature import context_signature, sha256
from briefing.web.sitefiles import Digests, Stamp, link_or_copy, stamp

MANIFEST = "manifest.json"
VERSION = "briefing-site-reuse 1"
# Plugins whose output is each page's own (or, for tags, handled below).
KNOWN_PLUGINS = frozenset(
    {"material/tags", "tags", "briefing", "briefing-inspection", "briefing-reuse"}
)
# Where a page's Markdown includes a listing of tags (Material's tags plugin).
TAGS_LISTING = "<!-- material/tags"


@dataclass
class Built:
    """One page of this build: where it went and what it was made from."""

    dest: str
    source: str  # hash of its Markdown
    html: str | None = None  # hash of the HTML MkDocs wrote (or that was copied)
    stamp: Stamp | None = None  # of the file, when html was taken
    links: PageLinks | None = None  # the inspection's parse of it
    meta: dict[str, Any] | None = None  # its front matter as MkDocs read it (_front_matter)


def _stamp_of(record: dict[str, Any]) -> Stamp | None:
    """The stamp a manifest's page record holds, if it holds a well-formed one."""
    found = record.get("stamp")
    if isinstance(found, list) and len(found) == 3 and all(type(n) is int for n in found):
        return found[0], found[1], found[2]
    return None


def _plain(value: Any) -> bool:
    """Whether value is JSON data that json gives back equal and of the same types."""
    if value is None or type(value) in (str, int, bool):
        return True
    if type(value) is float:
        return value == value and abs(value) != float("inf")
    if type(value) is list:
        return all(_plain(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _plain(item) for key, item in value.items())
    return False


def _front_matter(source: str, markdown: str, meta: Any) -> dict[str, Any] | None:
    """A page's front matter as MkDocs read it from source (its Markdown then markdown), if
    it was YAML that gave plain data; else None (MkDocs must read that page itself)."""
    found = YAML_RE.match(source)
    if found is None or markdown != source[found.end() :].lstrip("\n"):
        return None
    return meta if isinstance(meta, dict) and _plain(meta) else None


def _always() -> bool:
    return True


def _never() -> bool:
    return False


class SiteReuse(BasePlugin):  # type: ignore[type-arg]
    """The MkDocs plugin of a warm build: marks pages to build, copies the others into the
    staging folder; save() records the published build for the next one."""

    def __init__(self, cache: Path | None, site_dir: Path) -> None:
        self.cache = cache  # the folder of the manifest; None: no reuse, nothing kept
        self.site_dir = site_dir  # the published site of the previous build
        self.previous: dict[str, Any] = {}
        self.context: str | None = None
        self.pages: dict[str, Built] = {}  # src_uri -> this build's page
        self.copied: dict[str, Built] = {}  # dest -> page copied from site/
        self.link_context: str | None = None  # this build's (linkcheck.link_context)
        self._manifest: str | None = None  # made before publishing (prepare_manifest)

    @classmethod
    def prepare(cls, project: Project, site_dir: Path) -> SiteReuse:
        """The reuse of a project's build into site_dir, with its previous manifest if any."""
        root = cache_root(project.root)
        reuse = cls(None if root is None else root / "site", site_dir.resolve())
        if reuse.cache is not None:
            try:
                loaded = json.loads((reuse.cache / MANIFEST).read_text(encoding="utf-8"))
                if isinstance(loaded, dict) and loaded.get("version") == VERSION:
                    reuse.previous = loaded
            except (OSError, ValueError):
                pass  # no usable manifest: every page is built
        return reuse

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Decide which pages to build; copy the others into the staging folder."""
        allowed = set(config.plugins) <= KNOWN_PLUGINS
        sources = {f.src_uri: sha256(f.content_bytes) for f in files.documentation_pages()}
        signed = context_signature(config, files, nav, sources, VERSION)
        self.context = signed if allowed else None
        same = self.context is not None and self.previous.get("context") == self.context
        before: dict[str, Any] = self.previous.get("pages", {}) if same else {}
        in_nav = {page.file.src_uri: "title" in page.__dict__ for page in nav.pages}
        out = str(config.site_dir)
        for file in files.documentation_pages():
            source = file.content_bytes
            built = Built(file.dest_uri, sources[file.src_uri])
            self.pages[file.src_uri] = built
            old = before.get(file.src_uri)
            reusable = (
                old is not None
                and old.get("source") == built.source
                and old.get("dest") == built.dest
                and in_nav.get(file.src_uri, True)
                and TAGS_LISTING.encode() not in source
                and self._copy(built, str(old.get("html")), out, old)
            )
            file.is_modified = _never if reusable else _always  # type: ignore[method-assign]
        return nav

    def _copy(self, built: Built, html: str, out: str, old: dict[str, Any]) -> bool:
        """Link (or copy) the published page into out if it is the file recorded; whether
        it was. A file with the size, modification time and inode recorded when it was
        published is that file; any other is read and compared by hash. (Paths as strings:
        pathlib's objects cost 0.02 s of 1,000 pages.)"""
        published = os.path.join(self.site_dir, built.dest)
        target = os.path.join(out, built.dest)
        try:
            now = stamp(published)
            if _stamp_of(old) != now and sha256(Path(published).read_bytes()) != html:
                return False
            os.makedirs(os.path.dirname(target), exist_ok=True)
            # A link is the published file: the same stamp (a copy has its own). Nothing
            # writes to a copied page afterwards (MkDocs skips unmodified pages; a page a
            # later stage rewrites is never copied, as save() records it only as MkDocs
            # wrote it; such a stage replaces the file, briefing.web.downloads), so the link
            # never changes the published site, which stays as it was if this build fails.
            if not link_or_copy(published, target):
                now = stamp(target)
        except OSError:
            return False
        built.html, built.stamp = html, now
        if isinstance(old.get("ids"), list) and isinstance(old.get("links"), list):
            built.links = PageLinks(frozenset(old["ids"]), tuple(old["links"]))
        if isinstance(old.get("meta"), dict):
            built.meta = old["meta"]
        self.copied[built.dest] = built
        return True

    @event_priority(200)  # first: the front matter as read, before any plugin changes it
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Note the front matter of a page MkDocs built, as it read it."""
        built = self.pages.get(page.file.src_uri)
        if built is not None:
            meta = _front_matter(page.file.content_string, markdown, page.meta)
            built.meta = json.loads(json.dumps(meta)) if meta is not None else None
        return markdown

    @event_priority(200)  # before the tags plugin fills its listings (priority 100)
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Hand the tags of copied pages, from their front matter, to the tags plugin."""
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        mappings = getattr(tags, "mappings", None)
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.is_modified():
                continue
            if page.markdown is None:
                self._read_copied(page, config)
            if mappings is not None and page.markdown is not None:
                mappings.add(page, page.markdown)
        data = getattr(mappings, "data", None)
        if isinstance(data, dict):
            # In the pages' order, as a cold build adds them: its export (tags.json) lists
            # them in this order.
            urls = [file.url for file in files.documentation_pages()]
            ordered = {url: data[url] for url in urls if url in data}
            mappings.data = {**ordered, **data}  # type: ignore[union-attr]
        return env

    def _read_copied(self, page: Page, config: MkDocsConfig) -> None:
        """Read a copied page's source as MkDocs would: its front matter as the manifest
        kept it, if it did (the same Markdown gives the same), else by MkDocs."""
        built = self.pages.get(page.file.src_uri)
        meta = built.meta if built is not None else None
        source = page.file.content_string
        found = YAML_RE.match(source) if meta is not None else None
        if meta is None or found is None:
            page.read_source(config)
            if built is not None:
                built.meta = _front_matter(source, page.markdown or "", page.meta)
            return
        page.markdown = source[found.end() :].lstrip("\n")
        page.meta = json.loads(json.dumps(meta))  # its own copy, as a parse would give

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Note the hash of every page MkDocs wrote, as it wrote it."""
        out = Path(config.site_dir)
        for built in self.pages.values():
            if built.dest in self.copied:
                continue
            target = out / built.dest
            if target.is_file():
                built.stamp = stamp(target)
                built.html = sha256(target.read_bytes())

    def digests(self) -> Digests:
        """The hash of every page this build copied or MkDocs wrote, with the stamp of the
        file it was taken from (briefing.web.sitefiles.known_digest)."""
        return {
            built.dest: (built.stamp, bytes.fromhex(built.html))
            for built in self.pages.values()
            if built.stamp is not None and built.html is not None
        }

    def link_context_before(self) -> str | None:
        """The link context (linkcheck.link_context) of the published build, if recorded."""
        found = self.previous.get("link_context")
        return found if isinstance(found, str) else None

    def inspected(
        self, links: dict[str, tuple[PageLinks | None, tuple[int, int]]], context: str
    ) -> None:
        """Keep the inspection's parse of each page (dest -> links, (size, mtime)), and the
        link context of the site it inspected."""
        self.link_context = context
        for built in self.pages.values():
            found = links.get(built.dest)
            if found is not None and built.stamp is not None and found[1] == built.stamp[:2]:
                built.links = found[0]

    def prepare_manifest(self, staged: Path) -> None:
        """Make the record of this build from its staged site, before it is published:
        publishing renames the folder, and each file keeps its stamp. (The build does this
        while it waits for Pagefind: 0.04 s at 1,000 sheets that save() then does not.)"""
        self._manifest = self._record(staged)

    def save(self) -> None:
        """Record the published site for the next build (after publishing it)."""
        data = self._manifest if self._manifest is not None else self._record(self.site_dir)
        if self.cache is None or data is None:
            return
        try:
            self.cache.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.cache, prefix=".tmp-")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(data)
            os.replace(temporary, self.cache / MANIFEST)
        except OSError:
            return  # a cache that cannot be written only makes the next build cold

    def _record(self, site: Path) -> str | None:
        """The manifest of this build, as JSON, from its site in the folder site."""
        if self.cache is None or self.context is None:
            return None
        pages: dict[str, Any] = {}
        for src, built in sorted(self.pages.items()):
            try:
                now = stamp(site / built.dest)
            except OSError:
                continue
            if now != built.stamp or built.html is None:
                continue  # rewritten after MkDocs (or gone): built again next time
            record: dict[str, Any] = {"source": built.source, "dest": built.dest}
            record["html"], record["stamp"] = built.html, list(now)
            if built.links is not None:
                record["ids"] = sorted(built.links.ids)
                record["links"] = list(built.links.links)
            if built.meta is not None:
                record["meta"] = built.meta
            pages[src] = record
        kept: dict[str, Any] = {"version": VERSION, "context": self.context, "pages": pages}
        if self.link_context is not None:
            kept["link_context"] = self.link_context
        return json.dumps(kept)
