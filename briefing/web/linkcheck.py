"""Post-build link check: every internal href and src in the built HTML, and its #anchor, resolves.

MkDocs validates Markdown links only; links inside raw HTML blocks (every link a template
writes, and those in diagrams) are invisible to it. This walks the finished site instead, with
the standard library's HTML parser, so that a broken internal link fails the build.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Attributes that name another resource, by element.
LINK_ATTRS = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "iframe": ("src",),
    "source": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "embed": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
# Schemes that leave the site; anything else with a scheme is reported.
EXTERNAL = ("http", "https", "mailto", "tel", "data")


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link in a built page that does not resolve."""

    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: broken link '{self.url}': {self.reason}"


@dataclass(frozen=True)
class PageLinks:
    """What the link check needs from one page: the ids it defines and the links it makes."""

    ids: frozenset[str]
    links: tuple[str, ...]


class LinkRecorder:
    """Notes ids and links from start tags; fed by any HTMLParser (see briefing.web.postbuild)."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.links: list[str] = []

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(named["id"] or "")
        if tag == "a" and named.get("name"):
            self.ids.add(named["name"] or "")
        for attr in LINK_ATTRS.get(tag, ()):
            value = named.get(attr)
            if value is not None and not (tag == "link" and _is_hint(named)):
                self.links.append(value.strip())

    def result(self) -> PageLinks:
        return PageLinks(frozenset(self.ids), tuple(self.links))


class _Collector(HTMLParser):
    """Parses one page for its ids and links only."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.recorder = LinkRecorder()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.recorder.start_tag(tag, attrs)

    handle_startendtag = handle_starttag


def _is_hint(attrs: dict[str, str | None]) -> bool:
    """<link rel="canonical|alternate|preconnect..."> name places, not files of this site."""
    rel = (attrs.get("rel") or "").split()
    return any(r in ("canonical", "alternate", "preconnect", "dns-prefetch") for r in rel)


def page_links(html: str) -> PageLinks:
    """The ids and links of one HTML page."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.recorder.result()


def _join(page: str, path: str) -> str:
    """The site-relative path a link path names from a page (not yet checked)."""
    joined = (
        path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
    )
    normal = posixpath.normpath(joined) if joined else "."
    return normal + "/" if path.endswith("/") and normal != "." else normal


def _target(site: Path, normal: str) -> tuple[str | None, str]:
    """The site-relative file a joined link path names, or None and why not."""
    if normal == ".." or normal.startswith("../"):
        return None, "points outside the site"
    file = site / normal
    if normal.endswith("/") or file.is_dir():
        normal = posixpath.join(normal.rstrip("/"), "index.html").removeprefix("./")
        file = site / normal
    if not file.is_file():
        return None, f"no such file ({normal})"
    return normal, ""


def check_links(site: Path) -> list[BrokenLink]:
    """Every internal link of every HTML page under site that does not resolve, sorted."""
    site = site.resolve()
    pages = {
        html.relative_to(site).as_posix(): page_links(
            html.read_text(encoding="utf-8", errors="replace")
        )
        for html in site.rglob("*.html")
    }
    return resolve_links(site, pages)


def link_context(files: Iterable[str], pages: Mapping[str, PageLinks]) -> str:
    """A hash of all a link's verdict depends on but the link and the folder of its page:
    which files the site has (files: site-relative paths) and each page's ids."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
    for name in sorted(pages):
        digest.update(b"\1" + name.encode("utf-8") + b"\0")
        for found in sorted(pages[name].ids):
            digest.update(found.encode("utf-8") + b"\0")
    return digest.hexdigest()


def resolve_links(
    site: Path, pages: Mapping[str, PageLinks], only: Collection[str] | None = None
) -> list[BrokenLink]:
    """The broken links among pages (site-relative path -> its links), against the files of
    site; pages must hold every HTML page of the site, since anchors are looked up there.
    only: the pages whose links are checked, if not all (those of pages)."""
    resolved: dict[str, tuple[str | None, str]] = {}
    from_root: dict[str, str] = {}
    split_urls: dict[str, tuple[str, str, str, str]] = {}

    def target_of(page: str, climb: str, path: str) -> tuple[str | None, str]:
        # Most links climb to the site's root first (the navigation, the assets): from every
        # page as deep as this one they name the same path, joined once.
        if climb and path.startswith(climb):
            rest = path[len(climb) :]
            if rest not in from_root:
                from_root[rest] = _join("", rest)
            normal = from_root[rest]
        else:
            normal = _join(page, path)
        # Many pages link to the same files: look each up once.
        if normal not in resolved:
            resolved[normal] = _target(site, normal)
        return resolved[normal]

    def split(url: str) -> tuple[str, str, str, str]:
        """The URL's scheme, host, and its path and fragment unquoted (each URL split once)."""
        if url not in split_urls:
            parts = urlsplit(url)
            split_urls[url] = (parts.scheme, parts.netloc, unquote(parts.path), parts.fragment)
        return split_urls[url]

    broken: list[BrokenLink] = []
    for page in sorted(pages if only is None else only):
        directory = posixpath.dirname(page)
        climb = "../" * (directory.count("/") + 1) if directory else ""  # to the site's root
        for url in pages[page].links:
            scheme, netloc, path, fragment = split(url)
            if scheme or netloc:
                if scheme.lower() not in EXTERNAL:
                    broken.append(BrokenLink(page, url, f"'{scheme}:' URLs are not allowed"))
                continue
            if not path and not fragment:
                continue  # href="" or "?query": this page
            target = page
            if path:
                found, why = target_of(page, climb, path)
                if found is None:
                    broken.append(BrokenLink(page, url, why))
                    continue
                target = found
            anchor = unquote(fragment)
            if anchor and target in pages and anchor not in pages[target].ids:
                broken.append(BrokenLink(page, url, f"no element with id '{anchor}' in {target}"))
    return sorted(set(broken))
