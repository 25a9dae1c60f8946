"""The offline copy: a zip of the built site that works unpacked, opened from file://.

From file:// a browser shows a folder listing for a link to 'actors/china/', and refuses the
fetches Pagefind's search makes. So the copy is the built site post-processed, not built a
second time: every relative link to a folder gets 'index.html', Pagefind's bundle is left
out, and assets/javascripts/offline-index.js holds a small index (each page's address,
title, the start of its text and a weight) that the site's search script loads with a
<script> element when it runs from file:// (templates/theme/assets/javascripts/
briefing-search.js). The zip is reproducible: entries sorted, fixed timestamps and modes,
so a cached build writes the same bytes as a cold one.

The home page links to it (templates/home.md.j2); briefing/pipeline.py writes it into the
staged site before the inspection, which checks that link and scans every page it holds.
"""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from briefing.web.search import OUTPUT as PAGEFIND_OUTPUT

ZIP_NAME = "offline.zip"
FOLDER = "briefing-offline"  # the zip's one top-level folder
INDEX_SCRIPT = "assets/javascripts/offline-index.js"
TEXT_CHARS = 600  # of each page's text, in the offline index
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can store
# href="..." and src="..." as MkDocs and the templates write them (always double quotes).
_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)(")')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def folder_link(url: str) -> str:
    """A relative link to a folder made to name its index.html; any other URL unchanged."""
    if not url or url.startswith(("#", "/")) or _SCHEME.match(url):
        return url
    cut = min((at for at in (url.find("?"), url.find("#")) if at >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/"):
        return f"{path}index.html{rest}"
    if path in (".", "..") or path.endswith(("/.", "/..")):
        return f"{path}/index.html{rest}"
    return url


def offline_page(html: str) -> str:
    """A built page with its links to folders pointing at their index.html."""
    return _LINK.sub(lambda m: m.group(1) + folder_link(m.group(2)) + m.group(3), html)


class _Indexed(HTMLParser):
    """The title (first <h1>), its weight and the text of a page's data-pagefind-body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # elements open inside the indexed body; 0 outside it
        self.skip = 0  # inside <script> or <style>
        self.in_title = False
        self.title: list[str] = []
        self.weight = 0.5  # a page without a sheet heading (the listings) ranks lower
        self.text: list[str] = []
        self.length = 0
        self.indexed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if self.depth:
            self.depth += tag not in _VOID
        elif "data-pagefind-body" in found:
            self.depth, self.indexed = 1, True
            return
        if not self.depth:
            return
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "h1" and not self.title:
            self.in_title = True
            weight = found.get("data-pagefind-weight")
            self.weight = float(weight) / 10 if weight else 0.7

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            return
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        if tag == "h1":
            self.in_title = False
        if tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth or self.skip:
            return
        if self.in_title:
            self.title.append(data)
        elif self.length < TEXT_CHARS:
            self.text.append(data)
            self.length += len(data)


_VOID = frozenset(("area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"))


def _entry(html: str, url: str) -> list[object] | None:
    """One page's row of the offline index: [url, title, text, weight], or None if unindexed."""
    parser = _Indexed()
    parser.feed(html)
    parser.close()
    if not parser.indexed:
        return None
    title = " ".join("".join(parser.title).split()).replace("¶", "").strip()
    text = " ".join("".join(parser.text).split()).replace("¶", "")[:TEXT_CHARS]
    return [url, title or url, text, round(parser.weight, 2)]


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(f"{FOLDER}/{name}", date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever system builds it
    return info


def write_offline(site: Path) -> Path:
    """Write site/offline.zip, the offline copy of the built site; its path."""
    target = site / ZIP_NAME
    files = sorted(
        path
        for path in site.rglob("*")
        if path.is_file() and path != target and path.relative_to(site).parts[0] != PAGEFIND_OUTPUT
    )
    entries: list[list[object]] = []
    with zipfile.ZipFile(target, "w", compresslevel=6) as archive:
        for path in files:
            name = path.relative_to(site).as_posix()
            data = path.read_bytes()
            if path.suffix == ".html":
                html = data.decode("utf-8")
                row = _entry(html, name)  # the file itself: from file:// a folder is a listing
                if row is not None and name != "404.html":
                    entries.append(row)
                data = offline_page(html).encode("utf-8")
            archive.writestr(_zip_info(name), data)
        index = "window.__briefingOfflineIndex = " + json.dumps(entries, ensure_ascii=True) + ";\n"
        archive.writestr(_zip_info(INDEX_SCRIPT), index.encode("ascii"))
    return target
