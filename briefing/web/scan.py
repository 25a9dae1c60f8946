"""Post-build safety scan: walks the built site's HTML for anything that could run script.

The render stage escapes every value, so this scan should never find anything; it is the
net under that promise. It allows exactly the scripts Material for MkDocs (pinned, 9.8)
and Zensical 0.0.73 (its successor) write into every page, by content or by src under
assets/javascripts/, and reports any other script, event-handler attribute, script URL,
embedding element, <base> or <meta http-equiv>, and any script file but the theme's and
Pagefind's search bundle (stray_code). The search index's titles and texts (and
Zensical's nav paths and tags) are scanned too, since the theme inserts them as HTML. Pure
standard library: html.parser.

Usage: python -m briefing.web.scan [SITE_DIR]   (exit status 1 when something is found)
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from briefing.check.load import entries
from briefing.present.links import FOLDERS
from briefing.web.sitefiles import site_files

# Where a page's relative base points ('.', '../..') or, on the 404 page, an absolute path.
_BASE = r"(?:\.|\.\.(?:/\.\.)*|/(?:[A-Za-z0-9._~-]+/)*)"
# The inline scripts of Material 9.8's base.html, verbatim (bundle.js reads them).
_MATERIAL_INLINE = (
    re.compile(
        re.escape('__md_scope=new URL("')
        + _BASE
        + re.escape(
            '",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),'
            "__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem("
            't.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem('
            'a.pathname+"."+e,JSON.stringify(_))}catch(e){}}'
        )
    ),
    re.compile(
        re.escape(
            'var palette=__md_get("__palette");if(palette&&palette.color){if('
            '"(prefers-color-scheme)"===palette.color.media){var media=matchMedia('
            '"(prefers-color-scheme: light)"),input=document.querySelector(media.matches?'
            "\"[data-md-color-media='(prefers-color-scheme: light)']\":"
            "\"[data-md-color-media='(prefers-color-scheme: dark)']\");"
            'palette.color.media=input.getAttribute("data-md-color-media"),'
            'palette.color.scheme=input.getAttribute("data-md-color-scheme"),'
            'palette.color.primary=input.getAttribute("data-md-color-primary"),'
            'palette.color.accent=input.getAttribute("data-md-color-accent")}'
            "for(var[key,value]of Object.entries(palette.color))"
            'document.body.setAttribute("data-md-color-"+key,value)}'
        )
    ),
    re.compile(
        re.escape(
            "var target=document.getElementById(location.hash.slice(1));"
            'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
        )
    ),
)
# The first inline script of Zensical 0.0.73's theme (Material's, made by the same team), verbatim:
# the same storage helpers, a trailing slash forced onto the scope, and a data-platform
# attribute on <html>. Its other two inline scripts are Material's (above), byte for byte.
_ZENSICAL_INLINE = re.compile(
    re.escape('__md_scope=new URL("')
    + _BASE
    + re.escape(
        '",location),__md_scope.pathname.endsWith("/")||(__md_scope=new URL('
        '__md_scope.pathname+"/",location)),'
        "__md_hash=e=>[...e].reduce(((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),"
        "__md_get=(e,t=localStorage,_=__md_scope)=>JSON.parse(t.getItem("
        '_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>{try{_.setItem('
        'a.pathname+"."+e,JSON.stringify(t))}catch(e){}},'
        'document.documentElement.setAttribute("data-platform",navigator.platform)'
    )
)
_THEME_INLINE = (*_MATERIAL_INLINE, _ZENSICAL_INLINE)
# <script id="__config" type="application/json">: data, not code, with exactly these keys.
_MATERIAL_CONFIG_KEYS = frozenset(
    ("annotate", "base", "features", "search", "tags", "translations", "version")
)
# Zensical's adds "redirect", a place its bundle.js navigates to: allowed only when null.
_ZENSICAL_CONFIG_KEYS = _MATERIAL_CONFIG_KEYS | {"redirect"}
# A script file the theme (or docs/assets/javascripts/) ships: relative ('./' on Zensical's
# home page), or absolute on 404.
_SCRIPT_SRC = re.compile(
    r"(?:\./|(?:\.\./)*|/(?:[A-Za-z0-9._~-]+/)*)"
    r"(assets/javascripts/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.js)"
)

# The one type of data block pages may hold: their statements' Web Annotations (see
# briefing.data.annotations). HTML runs a script whose type, stripped of ASCII white space,
# is empty, a JavaScript MIME type, "module", "importmap" or "speculationrules"; any other
# type is a data block, which is never run. Only this type is accepted, in any ASCII case.
DATA_BLOCK_TYPE = "application/ld+json"
_ASCII_WHITESPACE = "\t\n\x0c\r "
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# The theme's search box: a form without action, submitted by nothing but bundle.js.
_MATERIAL_FORM = {"class": "md-search__form", "name": "search"}

URL_ATTRIBUTES = frozenset(
    (
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "icon",
        "longdesc",
        "lowsrc",
        "manifest",
        "ping",
        "poster",
        "src",
        "srcset",
        "xlink:href",
    )
)
BANNED_ELEMENTS = frozenset(
    ("applet", "base", "embed", "form", "frame", "frameset", "iframe", "object", "portal")
)
SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
# Browsers ignore these inside a URL's scheme ('java\tscript:', ' javascript:').
_IGNORED_IN_URL = re.compile("[\x00-\x20\x7f-\x9f]+")


@dataclass(frozen=True, order=True)
class Finding:
    """Something in the built site that could run script or embed foreign content."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


def data_block_type(value: str | None) -> str:
    """A script's type as HTML reads it: ASCII white space stripped, ASCII letters folded."""
    return (value or "").strip(_ASCII_WHITESPACE).translate(_ASCII_LOWER)


def unexpected_data_block(attrs: list[tuple[str, str | None]], text: str) -> str | None:
    """Why a <script type="application/ld+json"> is not a plain JSON-LD data block, or None.

    Its only attribute is that one type, given once (a browser reads the first of two type
    attributes, html.parser the last); it holds JSON without '<', so nothing in it can
    close the element or open the script-escaped states a comment starts.
    """
    if [name for name, _ in attrs] != ["type"] or data_block_type(attrs[0][1]) != DATA_BLOCK_TYPE:
        return f"data block with attributes other than type='{DATA_BLOCK_TYPE}'"
    if "<" in text:
        return "data block holds '<'"
    try:
        json.loads(text)
    except ValueError:
        return "data block does not hold JSON"
    return None


def script_url(value: str) -> str | None:
    """The dangerous scheme a URL attribute value uses (entities already decoded), or None."""
    folded = _IGNORED_IN_URL.sub("", value).lower()
    return next((scheme for scheme in SCRIPT_SCHEMES if folded.startswith(scheme)), None)


class Scanner(HTMLParser):
    """Collects findings for one HTML document or fragment."""

    def __init__(self, path: str, site: Path | None, page: PurePosixPath | None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.site = site  # None for fragments: there no script at all is allowed
        self.page = page
        self.findings: list[Finding] = []
        self.script: tuple[dict[str, str | None], int, int] | None = None
        self.script_attrs: list[tuple[str, str | None]] = []  # as written, repeats and all
        self.script_text: list[str] = []

    def find(self, message: str, pos: tuple[int, int] | None = None) -> None:
        line, col = pos or self.getpos()
        self.findings.append(Finding(self.path, line, col + 1, message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.find(f"event-handler attribute '{name}' on <{tag}>")
            elif name in URL_ATTRIBUTES and value:
                # srcset lists 'url width' candidates; a comma inside a data: URL only
                # splits it into pieces that still start with 'data:'.
                urls = [value]
                if name == "srcset":
                    urls = [(part.split() or [""])[0] for part in value.split(",")]
                for url in urls:
                    if scheme := script_url(url):
                        self.find(f"'{scheme}' URL in {name} of <{tag}>")
        if tag in BANNED_ELEMENTS and not (tag == "form" and dict(attrs) == _MATERIAL_FORM):
            self.find(f"<{tag}> element")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.find("<meta http-equiv> element")
        if tag == "script":
            line, col = self.getpos()
            self.script = (dict(attrs), line, col)
            self.script_attrs = attrs
            self.script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self.script is None:
            return
        attrs, line, col = self.script
        self.script = None
        why = self.unexpected_script(attrs, "".join(self.script_text))
        if why:
            self.find(f"<script> {why}", (line, col))

    def close(self) -> None:
        super().close()
        if self.script is not None:  # a <script> left open swallows the rest of the page
            _, line, col = self.script
            self.script = None
            self.find("<script> never closed", (line, col))

    def unexpected_script(self, attrs: dict[str, str | None], text: str) -> str | None:
        """Why a script is not one of the theme's own, or None if it is."""
        if self.site is None or self.page is None:
            return "in a search index entry"
        if set(attrs) == {"src"} and not text:
            return self.unexpected_src(attrs["src"] or "")
        if attrs == {"id": "__config", "type": "application/json"}:
            try:
                config = json.loads(text)
            except ValueError:
                return "id='__config' does not hold JSON"
            if not isinstance(config, dict) or not (
                set(config) == _MATERIAL_CONFIG_KEYS
                or (set(config) == _ZENSICAL_CONFIG_KEYS and config["redirect"] is None)
            ):
                return "id='__config' does not hold the theme's configuration"
            return None
        if not attrs and any(p.fullmatch(text) for p in _THEME_INLINE):
            return None
        if data_block_type(attrs.get("type")) == DATA_BLOCK_TYPE:
            return unexpected_data_block(self.script_attrs, text)
        return "that is not one of the theme's own"

    def unexpected_src(self, src: str) -> str | None:
        """Why a script src is not a file under assets/javascripts/ of this site, or None."""
        assert self.site is not None and self.page is not None
        match = _SCRIPT_SRC.fullmatch(src)
        if match is None:
            return f"src '{src}' is not under assets/javascripts/"
        if src.startswith("/"):
            target = self.site / match.group(1)
        else:
            target = self.site / self.page.parent / src
        try:
            inside = target.resolve().relative_to((self.site / "assets/javascripts").resolve())
        except ValueError:
            inside = None
        if inside is None or not target.is_file():
            return f"src '{src}' is not a file under assets/javascripts/ of this site"
        return None


def scan_html(text: str, path: str, site: Path | None = None) -> list[Finding]:
    """Findings in one HTML document (site given: the theme's scripts are allowed) or fragment."""
    page = PurePosixPath(path) if site is not None else None
    scanner = Scanner(path, site, page)
    scanner.feed(text)
    scanner.close()
    return scanner.findings


def scan_search_index(data: str, path: str) -> list[Finding]:
    """Findings in the search index: its titles and texts become HTML in the search box.

    MkDocs' index lists entries under "docs"; Zensical's under "items", each also with the
    titles of its nav "path" and its "tags", which its search shows too.
    """
    try:
        index = json.loads(data)
        entries = index.get("docs", index.get("items", []))
    except (ValueError, AttributeError):
        return [Finding(path, 1, 1, "search index is not a JSON object")]
    list_key = "docs" if "docs" in index else "items"
    findings = []
    for number, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        for key in ("title", "text", "path", "tags"):
            value = entry.get(key)
            texts = value if isinstance(value, list) else [value]
            for item, text in enumerate(texts):
                if isinstance(text, str):
                    where = f"{path}#{list_key}[{number}].{key}"
                    where += f"[{item}]" if isinstance(value, list) else ""
                    findings.extend(scan_html(text, where))
    return findings


# Files of a built site the scan reads, by suffix; the search index is read as JSON.
HTML_SUFFIXES = (".html", ".htm", ".svg", ".xhtml")
SEARCH_INDEX = "search/search_index.json"  # MkDocs' and ProperDocs' search plugin
ZENSICAL_SEARCH_INDEX = "search.json"
SEARCH_INDEXES = (SEARCH_INDEX, ZENSICAL_SEARCH_INDEX)


def files_to_scan(site_dir: Path, listed: list[str] | None = None) -> list[str]:
    """The site-relative paths of every file scan_site reads, sorted (of listed, if given:
    sitefiles.site_files(site_dir) as it is now)."""
    return [
        shown
        for shown in (site_files(site_dir) if listed is None else listed)
        if PurePosixPath(shown).suffix.lower() in HTML_SUFFIXES or shown in SEARCH_INDEXES
    ]


def scan_file(site_dir: Path, shown: str) -> list[Finding]:
    """Findings in one file of a built site (a page, an SVG or the search index)."""
    text = (site_dir / shown).read_text(encoding="utf-8", errors="replace")
    if shown in SEARCH_INDEXES:
        return scan_search_index(text, shown)
    return scan_html(text, shown, site_dir)


# Files a browser runs as code, by suffix. The only ones a site may hold are the theme's
# (and docs'), under assets/javascripts/, and Pagefind's search bundle: its module, its
# worker and its WebAssembly per language (briefing/web/search.py deletes the rest of it).
EXECUTABLE_SUFFIXES = (".js", ".mjs", ".cjs", ".wasm", ".pagefind")
# Pagefind's index is in parts: pagefind/ and, in it, a folder per sheet kind or a kind's
# numbered parts (actors/, or actors-1/, actors-2/ ...: briefing.web.shards).
_PAGEFIND_PARTS = "|".join(sorted(FOLDERS.values()))
_ALLOWED_CODE = re.compile(
    r"assets/javascripts/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)*\.js"
    rf"|pagefind/(?:(?:{_PAGEFIND_PARTS})(?:-[1-9][0-9]*)?/)?"
    r"(?:pagefind\.js|pagefind-worker\.js|wasm\.[a-z]{2,3}(?:[_-][a-z0-9]+)*\.pagefind"
    r"|wasm\.unknown\.pagefind)"
)


def stray_code(site_dir: Path, within: str = "", besides: str = "") -> list[Finding]:
    """Findings for files that run as code but are neither the theme's nor Pagefind's: every
    entry under site_dir (links not followed, as rglob would list them; by os.scandir, 0.04 s
    faster at 1,000 sheets), in the order of their paths. within: only those in this folder
    of the site; besides: all but those in this top folder."""
    prefix = tuple(within.split("/")) if within else ()
    listed = entries(site_dir.joinpath(*prefix), prefix)
    return [
        Finding(shown, 1, 1, "script file that is neither the theme's nor Pagefind's")
        for parts, _ in sorted(listed, key=lambda found: found[0])
        if parts[0] != besides
        and PurePosixPath(parts[-1]).suffix.lower() in EXECUTABLE_SUFFIXES
        and not _ALLOWED_CODE.fullmatch(shown := "/".join(parts))
    ]


def scan_site(site_dir: Path) -> list[Finding]:
    """Findings in every HTML and SVG file of a built site, in its search index and in its
    script files, sorted."""
    found = [f for shown in files_to_scan(site_dir) for f in scan_file(site_dir, shown)]
    return sorted(found + stray_code(site_dir))


def main(argv: list[str] | None = None) -> int:
    """Scan a built site (default: site/); print findings; exit 1 if there are any."""
    args = sys.argv[1:] if argv is None else argv
    site_dir = Path(args[0] if args else "site")
    if not site_dir.is_dir():
        print(f"{site_dir}: not a folder; build the site first", file=sys.stderr)
        return 2
    findings = scan_site(site_dir)
    for finding in findings:
        print(finding, file=sys.stderr)
    if findings:
        print(f"{len(findings)} unsafe construct(s) in {site_dir}", file=sys.stderr)
        return 1
    print(f"ok: no unsafe HTML in {site_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
