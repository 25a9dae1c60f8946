"""Records -> presentation-ready views, so that templates only print.

Views hold text already escaped and linked (Markup) or plain strings that Jinja escapes;
hrefs are computed by a Linker, so the site and the PDFs can place pages differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from briefing.check.link import LINK, Corpus
from briefing.model import records
from briefing.model.contract import KIND, SHEET_KINDS, STATEMENT_KINDS

FOLDERS = {
    "source": "sources",
    "actor": "actors",
    "relation": "relations",
    "event": "events",
    "briefing": "briefings",
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


class Linker:
    """Turns ids into hrefs relative to one page of the site."""

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
class FigureView:
    value: str
    unit: str
    what: Markup
    period: str


@dataclass(frozen=True)
class StatementView:
    """A statement ready to print: badge, text, attribution, quote and where it lives."""

    anchor: str
    kind: str
    kind_label: str
    kind_help: str
    text: Markup
    attributed_to: Markup | None
    quote: str
    source_title: str
    source_href: str
    figures: tuple[FigureView, ...]
    as_of: str
    note: Markup | None
    sheet_title: str
    sheet_href: str


@dataclass(frozen=True)
class SheetLink:
    """A link to a sheet with its summary and a short label (type, date)."""

    title: str
    href: str
    summary: Markup
    label: str


@dataclass(frozen=True)
class BacklinkView:
    title: str
    href: str
    kind: str
    statement: Markup | None


@dataclass(frozen=True)
class CitingStatement:
    """A statement that refers to a page (or cites a quote), as a link with its badge."""

    href: str
    kind: str
    kind_label: str
    text: Markup
    sheet_title: str


@dataclass(frozen=True)
class BacklinkSheet:
    """A sheet that refers to a page: by a field of its own, by statements, or both."""

    title: str
    href: str
    label: str
    statements: tuple[CitingStatement, ...]


@dataclass(frozen=True)
class BacklinkGroup:
    """The sheets of one kind that refer to a page ('Briefings', 'Relations'...)."""

    title: str
    kind: str
    sheets: tuple[BacklinkSheet, ...]


def statement_view(linker: Linker, sheet: records.Sheet, st: records.Statement) -> StatementView:
    """A statement with everything a page prints about it."""
    source = linker.corpus.by_id[st.source.target]
    return StatementView(
        anchor=st.id,
        kind=st.kind,
        kind_label=KIND[st.kind].label,
        kind_help=KIND[st.kind].meaning,
        text=linker.rich(st.text),
        attributed_to=linker.rich(st.attributed_to) if st.attributed_to else None,
        quote=st.quote.value,
        source_title=source.title,
        source_href=linker.href(source.id),
        figures=tuple(
            FigureView(f.value, f.unit or "", linker.rich(f.what), f.period or "")
            for f in st.figures
        ),
        as_of=st.as_of.value if st.as_of else "",
        note=linker.rich(st.note) if st.note else None,
        sheet_title=sheet.title,
        sheet_href=linker.href(f"{sheet.id}#{st.id}"),
    )


def sheet_label(sheet: records.Sheet) -> str:
    """The short label shown beside a sheet in lists."""
    if isinstance(sheet, records.Actor):
        return sheet.type
    if isinstance(sheet, records.Event):
        return date_label(sheet.date)
    if isinstance(sheet, records.Relation):
        return ", ".join(sheet.types)
    return sheet.kind


def sheet_link(linker: Linker, sheet: records.Sheet) -> SheetLink:
    """A sheet as an item of a list: title, link, summary and short label."""
    return SheetLink(
        sheet.title, linker.href(sheet.id), linker.rich(sheet.summary), sheet_label(sheet)
    )


def backlinks(linker: Linker, sheet_id: str) -> tuple[BacklinkView, ...]:
    """Every backlink as it is (one per referring sheet or statement); see backlink_groups."""
    views = []
    for backlink in linker.corpus.backlinks.get(sheet_id, ()):
        source = linker.corpus.by_id[backlink.sheet_id]
        if backlink.statement_id:
            statement = linker.corpus.statement(f"{source.id}#{backlink.statement_id}")
            views.append(
                BacklinkView(
                    source.title,
                    linker.href(f"{source.id}#{statement.id}"),
                    source.kind,
                    linker.rich(statement.text),
                )
            )
        else:
            views.append(BacklinkView(source.title, linker.href(source.id), source.kind, None))
    return tuple(views)


def citing(linker: Linker, sheet: records.Sheet, st: records.Statement) -> CitingStatement:
    """A link to a statement with its kind, for lists of statements elsewhere."""
    return CitingStatement(
        linker.href(f"{sheet.id}#{st.id}"),
        st.kind,
        KIND[st.kind].label,
        linker.rich(st.text),
        sheet.title,
    )


def backlink_groups(
    linker: Linker, sheet_id: str, skip_citations: bool = False
) -> tuple[BacklinkGroup, ...]:
    """Who refers to a sheet, grouped by kind (briefings first), each sheet listed once.

    With skip_citations (for sources), statements that merely cite the sheet as their source are
    left out: the source page lists them by the passage they quote.
    """
    corpus = linker.corpus
    by_sheet: dict[str, list[str]] = {}
    for backlink in corpus.backlinks.get(sheet_id, ()):
        if backlink.statement_id and skip_citations:
            st = corpus.statement(f"{backlink.sheet_id}#{backlink.statement_id}")
            if st.source.target == sheet_id and (
                (sheet_id, backlink.sheet_id, backlink.statement_id) not in corpus.text_links
            ):
                continue
        by_sheet.setdefault(backlink.sheet_id, []).append(backlink.statement_id)
    # The corpus's own order (kind, then id), without walking the whole corpus per page.
    order = {kind: n for n, kind in enumerate(SHEET_KINDS)}
    referring = sorted((corpus.by_id[i] for i in by_sheet), key=lambda s: (order[s.kind], s.id))
    groups: dict[str, list[BacklinkSheet]] = {}
    for source in referring:
        ids = set(by_sheet[source.id])
        found = tuple(citing(linker, source, st) for st in source.statements if st.id in ids)
        groups.setdefault(source.kind, []).append(
            BacklinkSheet(source.title, linker.href(source.id), sheet_label(source), found)
        )
    return tuple(
        BacklinkGroup(SECTION_TITLES[kind], kind, tuple(sheets)) for kind, sheets in groups.items()
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


def statements(linker: Linker, sheet: records.Sheet) -> tuple[StatementView, ...]:
    """Every statement of a sheet, in the sheet's order."""
    return tuple(statement_view(linker, sheet, st) for st in sheet.statements)


def grouped_statements(
    linker: Linker, sheet: records.Sheet
) -> tuple[tuple[str, tuple[StatementView, ...]], ...]:
    """Statements grouped by kind, in the registry's order; empty groups left out."""
    views = statements(linker, sheet)
    return tuple(
        (KIND[kind].label, group)
        for kind in STATEMENT_KINDS
        if (group := tuple(v for v in views if v.kind == kind))
    )


def referenced(
    linker: Linker, refs: tuple[records.Ref, ...]
) -> tuple[StatementView | SheetLink, ...]:
    """Section refs and key judgments: statements as statements, sheets as links."""
    views: list[StatementView | SheetLink] = []
    for ref in refs:
        sheet = linker.corpus.by_id[ref.sheet_id]
        if ref.statement_id:
            views.append(statement_view(linker, sheet, linker.corpus.statement(ref.target)))
        else:
            views.append(sheet_link(linker, sheet))
    return tuple(views)
