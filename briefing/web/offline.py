"""The offline copy: a zip of the built site that works unpacked, opened from file://.

From file:// a browser shows a folder listing for a link to 'actors/china/', and refuses the
fetches Pagefind's search makes. So the copy is the built site post-processed, not built a
second time: every relative link to a folder gets 'index.html', Pagefind's bundle is left
out, and assets/javascripts/offline-index.js holds a small index (each page's address,
title, the start of its text and a weight) that the site's search script loads with a
<script> element when it runs from file:// (templates/theme/assets/javascripts/
briefing-search.js). The zip is reproducible: entries sorted, fixed timestamps and modes,
so a cached build writes the same bytes as a cold one. Its writer (briefing.web.zipwrite)
takes compressed members from the previous build where a file's bytes are unchanged.

The full build (the one that writes PDFs) writes it into the staged site while the site is
inspected (briefing/pipeline.py: by a forked process, up to 5,000 sheets), which checks the
home page's link to it; the pages it holds are the site's, made to link to index.html, which
the inspection scans. The preview and `stage` neither write nor link it.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape
from pathlib import Path

from briefing.web.search import OUTPUT as PAGEFIND_OUTPUT
from briefing.web.sitefiles import NONE_KNOWN, Digests, known_digest, site_files
from briefing.web.zipwrite import Member, MemberCache, ZipWriter, make_member

ZIP_NAME = "offline.zip"
FOLDER = "briefing-offline"  # the zip's one top-level folder
INDEX_SCRIPT = "assets/javascripts/offline-index.js"
TEXT_CHARS = 600  # of each page's text, in the offline index
# Deflate level 1: at 1,000 sheets the zip takes 1.1 s of CPU (1.5 s at level 6) and is 8.5 MB
# (7.3 MB at level 6).
COMPRESSION = 1
# In every member's cache key: a change to this code (how a page is made offline, its
# index row) or to the compression level changes it.
_VERSION = Path(__file__).read_bytes() + f"level {COMPRESSION}".encode()
_VERSION_DIGEST = hashlib.sha256(_VERSION).digest()
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


# What the offline index reads of a page: the part Pagefind indexes, its first heading (and
# that heading's weight), and the text after it. Regular expressions, not a parser: the
# pages are the build's own output, already scanned, and this runs on every page.
_BODY = "data-pagefind-body"
_HEADING = re.compile(r"<h1\b([^>]*)>(.*?)</h1>", re.DOTALL)
_WEIGHT = re.compile(r'data-pagefind-weight="([0-9.]+)"')
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<[^>]*>", re.DOTALL)
_SPAN = 40 * TEXT_CHARS  # of markup after the heading: enough for TEXT_CHARS of text


def _text(markup: str) -> str:
    return " ".join(unescape(_HIDDEN.sub(" ", markup)).replace("\u00b6", "").split())


def _entry(html: str, url: str) -> list[object] | None:
    """One page's row of the offline index: [url, title, text, weight], or None if unindexed."""
    at = html.find(_BODY)
    if at < 0:
        return None
    heading = _HEADING.search(html, at)
    if heading is None:
        return [url, url, _text(html[at : at + _SPAN])[:TEXT_CHARS], 0.5]
    weight = _WEIGHT.search(heading.group(1))
    # A sheet's heading carries its kind's weight; other pages' (the listings) rank lower.
    factor = float(weight.group(1)) / 10 if weight else 0.5
    text = _text(html[heading.end() : heading.end() + _SPAN])[:TEXT_CHARS]
    return [url, _text(heading.group(2)) or url, text, round(factor, 2)]


# Already compressed: stored as they are, which costs no time and hardly any room.
_STORED = (".pdf", ".png", ".jpg", ".jpeg", ".woff", ".woff2", ".gz", ".zip")
# The zip is written through a buffer this large: its 1,200 members at 1,000 sheets were two
# writes each.
_BUFFER = 1 << 20


def _member(name: str, data: bytes) -> Member:
    return make_member(data, not name.lower().endswith(_STORED), COMPRESSION)


def _is_page(name: str) -> bool:
    """Whether a site-relative path names an HTML page: its suffix, as PurePosixPath has it,
    is '.html' (so not a file named '.html' alone)."""
    last = name.rpartition("/")[2]
    dot = last.rfind(".")
    return dot > 0 and last[dot:] == ".html"


def _named(name: str) -> tuple[bytes, bytes]:
    """The digests of the code's version and a file's name, which key its member with the
    digest of its bytes."""
    return _VERSION_DIGEST, hashlib.sha256(name.encode("utf-8")).digest()


def _other_member(members: MemberCache, name: str, path: Path) -> Member:
    """The member of a file that is not a page: compressed, it is kept by its bytes (the
    theme's 2.5 MB are the same every build)."""
    data = path.read_bytes()
    if name.lower().endswith(_STORED):
        return make_member(data, False, COMPRESSION)
    key = members.key_of(*_named(name), hashlib.sha256(data).digest())
    found = members.get(key)
    if found is not None:
        return found[0]
    member = _member(name, data)
    members.put(key, member, None)
    return member


def write_offline(site: Path, cache: Path | None = None, known: Digests = NONE_KNOWN) -> Path:
    """Write site/offline.zip, the offline copy of the built site; its path.

    cache: a folder keeping each file's compressed member (and a page's index row) for the
    next build, keyed by its name and bytes (briefing.web.zipwrite); None: none kept.
    known: pages' digests (sitefiles.known_digest): a page whose member is kept is not read.
    """
    target = site / ZIP_NAME
    names = sorted(  # as the zip lists its names
        name
        for name in site_files(site)
        if name != ZIP_NAME and name.split("/", 1)[0] != PAGEFIND_OUTPUT
    )
    members = MemberCache(cache)
    entries: list[object] = []
    with target.open("wb", buffering=_BUFFER) as stream:
        archive = ZipWriter(stream)
        for name in names:
            if not _is_page(name):
                archive.add(f"{FOLDER}/{name}", _other_member(members, name, site / name))
                continue
            data, digest = None, known_digest(site, name, known)
            if digest is None:
                data = (site / name).read_bytes()
                digest = hashlib.sha256(data).digest()
            key = members.key_of(*_named(name), digest)
            found = members.get(key)
            if found is None:
                html = (data or (site / name).read_bytes()).decode("utf-8")
                row = _entry(html, name)  # the file itself: from file:// a folder is a listing
                member = _member(name, offline_page(html).encode("utf-8"))
                members.put(key, member, row)
                found = member, row
            member, note = found
            if isinstance(note, list) and name != "404.html":
                entries.append(note)
            archive.add(f"{FOLDER}/{name}", member)
        index = "window.__briefingOfflineIndex = " + json.dumps(entries, ensure_ascii=True) + ";\n"
        archive.add(f"{FOLDER}/{INDEX_SCRIPT}", _member(INDEX_SCRIPT, index.encode("ascii")))
        archive.close()
    members.save()
    return target
