"""Parts of sheet pages: a briefing's sections and what to watch, a source's facts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from briefing.model import records
from briefing.present import links, places, views
from briefing.present.links import SiteLinker


@dataclass(frozen=True)
class SectionView:
    """A briefing section: its anchor (the title as a slug, unique on the page) and contents."""

    anchor: str
    title: str
    text: Markup
    items: tuple[views.StatementView | links.SheetLink, ...]


# Ids a briefing page always uses, which a section's anchor must not take.
PAGE_IDS = frozenset(
    {"_title", "_bottom-line", "_key-judgments", "_what-to-watch", "_statements", "_referenced-by"}
)


def slug(title: str) -> str:
    """A title as an anchor: lowercase letters and digits joined by hyphens ('section' if none)."""
    words = re.findall(r"[a-z0-9]+", title.casefold())
    return "-".join(words) or "section"


def section_anchors(titles: list[str], taken: set[str]) -> list[str]:
    """One anchor per section title, unique among themselves and the ids already taken."""
    anchors: list[str] = []
    used = set(taken)
    for title in titles:
        base = anchor = slug(title)
        n = 1
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        anchors.append(anchor)
    return anchors


@dataclass(frozen=True)
class SourceFact:
    """A row of a source's publication facts; an unknown value is shown as 'not stated'."""

    label: str
    value: str
    href: str  # '' when the value is not a link
    iso: str = ""  # a date's ISO value, for <time datetime>
    external: bool = False  # a link off the site
    note: str = ""  # what the value is, printed after it


NOT_STATED = "not stated"


def source_facts(linker: SiteLinker, source: records.Source) -> tuple[SourceFact, ...]:
    """Title, author, publisher, date, address and the archived copy of a source."""
    pub = source.publication
    date = pub.date if pub else None
    url = pub.url if pub else None
    mirror = pub.mirror if pub else None
    archived = "the text as archived; every quote is checked against it"
    if source.archive_note is not None:
        archived = f"{archived} ({source.archive_note.value})"
    return (
        SourceFact("Title", source.title, ""),
        SourceFact("Author", (pub.author if pub else None) or NOT_STATED, ""),
        SourceFact("Publisher", (pub.publisher if pub else None) or NOT_STATED, ""),
        SourceFact("Published", links.date_label(date) if date else NOT_STATED, "")
        if date is None
        else SourceFact("Published", links.date_label(date), "", date.value),
        SourceFact("Address", url or NOT_STATED, url or "", external=True),
        *((SourceFact("Copied from", mirror, mirror, external=True),) if mirror else ()),
        SourceFact(
            "Archived copy",
            f"{source.id}.txt",
            places.archive_href(linker.here, source),
            note=archived,
        ),
    )


def sections(linker: SiteLinker, briefing: records.Briefing) -> list[SectionView]:
    """A briefing's sections, each with an anchor made from its title."""
    taken = PAGE_IDS | {st.id for st in briefing.statements}
    anchors = section_anchors([section.title for section in briefing.sections], set(taken))
    return [
        SectionView(
            anchor,
            section.title,
            linker.rich(section.text),
            views.referenced(linker, section.refs),
        )
        for anchor, section in zip(anchors, briefing.sections, strict=True)
    ]


def what_to_watch(linker: SiteLinker, briefing: records.Briefing) -> list[views.CitingStatement]:
    """The source's forecasts a briefing rests on (see views.forecasts), as links."""
    return [views.citing(linker, s, st) for s, st in views.forecasts(linker.corpus, briefing)]
