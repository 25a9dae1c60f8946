"""Where sheets are on the site and how a page links to them; sheet links and dates.

A Linker turns ids into hrefs and [[refs]] into links: SiteLinker places them relative to
one page of the site, the print linker (briefing.pdf.views) to anchors inside one PDF. The
views take either, so the site and the PDFs share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from markupsafe import Markup

from briefing.check.link import LINK, Corpus
from briefing.model import records

FOLDERS = {
    "source": "sources",
    "actor": "actors",
    "relation": "relations",
    "event": "events",
    "briefing": "briefings",
}
# What one sheet of a kind is called, as a search result names it.
KIND_NAMES = {
    "source": "Source",
    "actor": "Actor",
    "relation": "Relation",
    "event": "Event",
    "briefing": "Briefing",
}
SECTION_TITLES = {
    "briefing": "Briefings",
    "actor": "Actors",
    "relation": "Relations",
    "event": "Events",
    "source": "Sources",
}


def sheet_page(sheet: records.Sheet) -> str:
    """The docs-relative path of a sheet's page."""
    return f"{FOLDERS[sheet.kind]}/{sheet.id}.md"


@lru_cache(maxsize=1 << 16)
def _sheet_url(kind: str, sheet_id: str) -> str:
    """The site URL of a sheet's page ('actors/china/')."""
    return page_url(f"{FOLDERS[kind]}/{sheet_id}.md")


def page_url(path: str) -> str:
    """A page's URL relative to the site root, with directory URLs ('actors/china/')."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def relative_path(path: str, start: str) -> str:
    """posixpath.relpath(path, start) for site-relative URL paths, without the file system.

    relpath made absolute paths from the working directory twice per link; pages hold
    tens of links, so it was a quarter of the render stage.
    """
    return _relative(_parts(path), _parts(start))


def _parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part and part != "."]


def _relative(target: list[str], here: list[str]) -> str:
    common = 0
    for mine, theirs in zip(target, here, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + target[common:]) or "."


class Linker(Protocol):
    """What views need to link: the corpus, a target's href and text with its [[refs]] linked."""

    @property
    def corpus(self) -> Corpus:
        """The linked corpus the ids belong to."""
        ...

    def href(self, target: str) -> str:
        """The href of a sheet id or 'sheet-id#statement-id' ('' for none)."""
        ...

    def rich(self, text: records.Text | None) -> Markup:
        """Plain text with [[refs]] -> escaped HTML with links; white space folded."""
        ...


class SiteLinker:
    """A Linker for one page of the site: hrefs relative to that page."""

    def __init__(self, corpus: Corpus, page_path: str) -> None:
        self.corpus = corpus
        self.here = page_url(page_path)
        self._here_parts = _parts(self.here)
        # The page's own folders, each with the way up from the page to it: a URL that
        # starts with one of them is relative in a prefix test ('actors/' -> '../').
        self._ancestors = [
            (
                "".join(f"{part}/" for part in self._here_parts[:depth]),
                "../" * (len(self._here_parts) - depth),
            )
            for depth in range(len(self._here_parts), -1, -1)
        ]
        # A page links to the same few pages many times (a source under every statement).
        self._relative: dict[str, str] = {}
        self._hrefs: dict[str, str] = {}

    def url(self, site_url: str) -> str:
        """A site-root-relative URL ('actors/china/#x'), made relative to this page."""
        if site_url not in self._relative:
            self._relative[site_url] = self._make_relative(site_url)
        return self._relative[site_url]

    def _make_relative(self, site_url: str) -> str:
        path, _, anchor = site_url.partition("#")
        if path == self.here:
            relative = "" if anchor else "./"
        elif path.endswith("/") and path[0] != "/" and "//" not in path and "./" not in path:
            # A page URL ('events/x/'): the deepest of the page's folders that it starts in.
            for folder, up in self._ancestors:  # the last is '', where every URL starts
                if path.startswith(folder):
                    relative = up + path[len(folder) :]
                    break
        else:
            relative = _relative(_parts(path), self._here_parts) + "/"
        return relative + (f"#{anchor}" if anchor else "")

    def href(self, target: str) -> str:
        """The href of a sheet id or 'sheet-id#statement-id'."""
        known = self._hrefs.get(target)
        if known is None:
            sheet_id, _, statement_id = target.partition("#")
            site_url = _sheet_url(self.corpus.by_id[sheet_id].kind, sheet_id)
            known = self._hrefs[target] = self.url(
                site_url + (f"#{statement_id}" if statement_id else "")
            )
        return known

    def rich(self, text: records.Text | None) -> Markup:
        """Plain text with [[refs]] -> escaped HTML with links; white space folded."""
        if text is None:
            return Markup("")
        value = text.value
        if "[[" not in value:
            return _plain_rich(value)
        parts: list[str] = []
        position = 0
        for match in LINK.finditer(value):
            parts.append(escaped(value[position : match.start()]))
            target, label = match.group(1).strip(), match.group(2)
            # A blank label ("[[china| ]]") would print an empty, invisible link: use the title.
            title = (label or "").strip() or self.corpus.by_id[target.partition("#")[0]].title
            parts.append(f'<a href="{escaped(self.href(target))}">{escaped(title)}</a>')
            position = match.end()
        parts.append(escaped(value[position:]))
        return Markup(" ".join("".join(parts).split()))


def escaped(text: str) -> str:
    """markupsafe.escape(text) as a plain str: the pieces of one value are escaped this way
    and marked safe once, not each wrapped in a Markup (a fifth of the render stage)."""
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


@lru_cache(maxsize=1 << 16)
def _plain_rich(value: str) -> Markup:
    """Linker.rich of a text without links, which is the same on every page: summaries and
    statements are printed on each page that links to their sheet."""
    return Markup(" ".join(escaped(value).split()))


@dataclass(frozen=True)
class SheetLink:
    """A link to a sheet with its summary and a short label (type, date)."""

    title: str
    href: str
    summary: Markup
    label: str


def type_labels(corpus: Corpus, relation: records.Relation) -> tuple[str, ...]:
    """A relation's types as the vocabulary sheet names them (its label, never its id)."""
    return tuple(corpus.vocabulary.label(t) for t in relation.types)


def event_type_label(corpus: Corpus, event: records.Event) -> str | None:
    """An event's type as the vocabulary sheet names it, or None if the sheet gives none."""
    return corpus.vocabulary.event_label(event.type) if event.type else None


def sheet_label(sheet: records.Sheet, corpus: Corpus) -> str:
    """The short label shown beside a sheet in lists: type, types or dates."""
    if isinstance(sheet, records.Actor):
        return sheet.type
    if isinstance(sheet, records.Event):
        return event_label(sheet, lambda i: corpus.by_id[i].title)
    if isinstance(sheet, records.Relation):
        return ", ".join(type_labels(corpus, sheet))
    return sheet.kind


def sheet_link(linker: Linker, sheet: records.Sheet) -> SheetLink:
    """A sheet as an item of a list: title, link, summary and short label."""
    return SheetLink(
        sheet.title,
        linker.href(sheet.id),
        linker.rich(sheet.summary),
        sheet_label(sheet, linker.corpus),
    )


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_label(date: records.PartialDate) -> str:
    """A partial date as a reader writes it: '2022', 'October 2024', '23 October 2024'."""
    year, month, day = date.sort_key
    if not month:
        return str(year)
    if not day:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


def event_label(event: records.Event, title_of: Callable[[str], str] | None = None) -> str:
    """An event's dates as the source gives them: one, a range, several, an order or none."""
    if event.date is not None and event.until is not None:
        return f"{date_label(event.date)} to {date_label(event.until)}"
    if event.date is not None:
        return date_label(event.date)
    if event.dates:
        return ", ".join(date_label(d) for d in event.dates)
    if event.relative is not None:
        which = "after" if event.after is not None else "before"
        target = event.relative.target
        # The source orders it, nothing more: "before", not "just before", and the other
        # event's title in quotes, so its capital reads as a title mid-sentence.
        return f"{which} “{title_of(target) if title_of else target}”"
    return "undated"
