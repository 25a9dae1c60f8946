"""annotations.jsonld: every statement as a W3C Web Annotation on the passage it quotes.

One Annotation per statement, in one AnnotationCollection. Its body is the statement (a
TextualBody: plain text, kind, attribution; its id is the statement's place on its page).
Its target is the source (publication.url, else the published archived text) narrowed by a
TextQuoteSelector and a TextPositionSelector, and, where the source has a web address, a
TimeState whose `cached` copy is the archived text as published (sources/<id>.txt; then the
mirror, if any): the State is applied before the Selectors, so the offsets count code
points of that archived text, which is what the quote was verified against.

IRIs are relative, resolved against the document holding them (data/annotations.jsonld, or
the page whose data block holds them), so the same annotation has the same IRI everywhere.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from briefing.check.link import LINK, Corpus
from briefing.check.reads import Changes, Inputs, Read, ReadingMapping, Reads, reading
from briefing.check.verify import Checked, SourceText
from briefing.data.facts import (
    fragment,
    joined,
    page_url,
    placeholder,
    without_markup,
)
from briefing.data.offsets import Aligned, OffsetError, align
from briefing.model import records
from briefing.model.contract import SHEET_KINDS
from briefing.present import places
from briefing.present.links import relative_path

ANNOTATIONS = "data/annotations.jsonld"
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# Terms the Web Annotation vocabulary lacks, as its model's section on extensions asks: a
# second context after the first. Documented on the page the namespace names.
TERMS = "https://github.com/briefing-project/briefing/blob/main/docs/data.md#"
CONTEXT: list[Any] = [
    ANNO_CONTEXT,
    {
        "briefing": TERMS,
        "kind": "briefing:kind",
        "attributedTo": "briefing:attributedTo",
        "statement": "briefing:statement",
    },
]
# Code points of the archived text the TextQuoteSelector gives before and after the quote.
CONTEXT_CHARS = 32

Url = Callable[[str], str]


def relative_to(base: str) -> Url:
    """site-relative URL -> the same URL relative to a folder of the site ('data/')."""

    def url(site_url: str) -> str:
        path, hash_, anchor = site_url.partition("#")
        relative = relative_path(path, base)
        if path.endswith("/") and not relative.endswith("/"):
            relative += "/"
        return relative + hash_ + anchor

    return url


def plain(text: records.Text, corpus: Corpus) -> str:
    """A text with its [[refs]] as a reader sees them (label, else the title), white space
    folded."""

    def label(match: Any) -> str:
        target, given = match.group(1).strip(), (match.group(2) or "").strip()
        return given or corpus.by_id[target.partition("#")[0]].title

    return " ".join(LINK.sub(label, text.value).split())


def selectors(aligned: Aligned, quote: str) -> list[dict[str, Any]]:
    """The quote's TextQuoteSelector and TextPositionSelector in the published text."""
    span = aligned.span(quote)
    if span is None:  # the verify stage found every quote: a mismatch here is a bug
        raise OffsetError(f"quote not found in the archived text: {quote!r}")
    start, end = span
    raw = aligned.raw
    return [
        {
            "type": "TextQuoteSelector",
            "exact": raw[start:end],
            "prefix": raw[max(0, start - CONTEXT_CHARS) : start],
            "suffix": raw[end : end + CONTEXT_CHARS],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def target(source: records.Source, aligned: Aligned, quote: str, url: Url) -> dict[str, Any]:
    """The source, its archived copy, and where the quote lies in that copy."""
    archive = url(places.archive_path(source))
    publication = source.publication
    address = publication.url if publication else None
    found: dict[str, Any] = {"type": "SpecificResource", "source": address or archive}
    if address:
        mirror = publication.mirror if publication else None
        cached = [archive, mirror] if mirror else archive
        found["state"] = {"type": "TimeState", "cached": cached}
    found["selector"] = selectors(aligned, quote)
    return found


def annotation(
    corpus: Corpus,
    sheet: records.Sheet,
    st: records.Statement,
    texts: Mapping[str, Aligned],
    url: Url,
) -> dict[str, Any]:
    """One statement as an Annotation."""
    source = corpus.by_id[st.source.target]
    assert isinstance(source, records.Source)
    body: dict[str, Any] = {
        "id": url(f"{page_url(sheet)}#{st.id}"),
        "type": "TextualBody",
        "purpose": "describing",
        "format": "text/plain",
        "value": plain(st.text, corpus),
        "kind": st.kind,
        "statement": f"{sheet.id}#{st.id}",
    }
    if st.attributed_to is not None:
        body["attributedTo"] = plain(st.attributed_to, corpus)
    return {
        "id": f"{url(ANNOTATIONS)}#{sheet.id}/{st.id}",
        "type": "Annotation",
        "motivation": "describing",
        "body": body,
        "target": target(source, texts[source.id], st.quote.value, url),
    }


def aligned_texts(checked: Checked) -> dict[str, Aligned]:
    """Every source's published text, mapped onto its normalised form."""
    return {source_id: align(text.raw) for source_id, text in sorted(checked.texts.items())}


def _items(
    corpus: Corpus, sheets: tuple[records.Sheet, ...], texts: Mapping[str, Aligned], url: Url
) -> list[dict[str, Any]]:
    return [annotation(corpus, s, st, texts, url) for s in sheets for st in s.statements]


def _in_order(checked: Checked) -> tuple[records.Sheet, ...]:
    """Sheets as facts.json lists them: by kind, then id."""
    corpus = checked.corpus
    return tuple(s for kind in SHEET_KINDS for s in sorted(corpus.of_kind(kind), key=_id))


def _id(sheet: records.Sheet) -> str:
    return sheet.id


def collection(checked: Checked, texts: Mapping[str, Aligned] | None = None) -> dict[str, Any]:
    """Every statement's annotation, as one AnnotationCollection with one page."""
    texts = texts if texts is not None else aligned_texts(checked)
    return _collection(checked, _items(checked.corpus, _in_order(checked), texts, _DATA))


# IRIs in annotations.jsonld: relative to its folder.
_DATA = relative_to("data/")


def _collection(checked: Checked, items: list[Any]) -> dict[str, Any]:
    here = _DATA
    title = checked.corpus.settings.title
    return {
        "@context": CONTEXT,
        "id": here(ANNOTATIONS),
        "type": "AnnotationCollection",
        "label": f"Statements of {title}" if title else "Statements",
        "total": len(items),
        "first": {
            "id": f"{here(ANNOTATIONS)}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def annotations_jsonld(checked: Checked) -> str:
    """annotations.jsonld's text (deterministic: sorted keys, sheets by kind and id): the
    same as dumps_content(collection(checked)), joined from each statement's JSON as
    remembered by sheet_annotations."""
    known = sheet_annotations(checked)
    items = [item for sheet in _in_order(checked) for item in known[sheet.id].items]
    whole = _collection(checked, [placeholder(n) for n in range(len(items))])
    return joined(whole, items, ITEM_DEPTH)


# Where annotations.jsonld lists an annotation: in the items of the collection's first page.
ITEM_DEPTH = 3


def script_json(data: Any) -> Markup:
    """JSON safe inside <script type="application/ld+json">: no '<', '>' or '&' at all, so
    nothing in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(without_markup(text))


def page_blocks(checked: Checked) -> dict[str, Markup]:
    """Sheet id -> the JSON-LD its page embeds: its own statements' annotations, as an
    AnnotationPage of the collection, with IRIs relative to the page."""
    known = sheet_annotations(checked)
    return {
        sheet.id: block
        for sheet in checked.corpus.sheets
        if (block := known[sheet.id].block) is not None
    }


@dataclass(frozen=True)
class SheetAnnotations:
    """A sheet's statements as annotations: each one's text in annotations.jsonld (see
    facts.fragment), and its page's data block (None for no statements); and what making
    them read of the checked corpus (briefing.check.reads)."""

    reads: frozenset[Read]
    items: tuple[str, ...]
    block: Markup | None


@dataclass
class _Remembered:
    """Every sheet's annotations as last made, and the checked corpus they were made from."""

    inputs: Inputs | None = None
    sheets: dict[str, SheetAnnotations] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    made: int = 0  # sheets whose annotations the latest call made (not reused), for tests


# The process's latest annotations: a build makes them for its pages, then for the data
# file; the live preview, on every save, makes them again only for sheets whose reads
# changed (a save re-serialized every statement: a fifth of its rebuild at 3,000 sheets).
REMEMBERED = _Remembered()


def forget() -> None:
    """Drop the remembered annotations and the texts' offset maps (a build, done with them,
    frees the memory)."""
    with REMEMBERED.lock:
        REMEMBERED.inputs, REMEMBERED.sheets = None, {}
    align.cache_clear()


def remembered() -> tuple[Inputs | None, dict[str, SheetAnnotations]]:
    """The annotations as last made, and the checked corpus they were made from (what a build
    keeps for the next one: briefing.web.between_builds)."""
    with REMEMBERED.lock:
        return REMEMBERED.inputs, dict(REMEMBERED.sheets)


def remember(inputs: Inputs | None, sheets: dict[str, SheetAnnotations]) -> None:
    """Take annotations made from inputs (by an earlier build) as the latest made."""
    with REMEMBERED.lock:
        REMEMBERED.inputs, REMEMBERED.sheets = inputs, sheets


def sheet_annotations(checked: Checked) -> dict[str, SheetAnnotations]:
    """Sheet id -> its annotations, reused from the latest call where no read changed."""
    memo = REMEMBERED
    with memo.lock:
        inputs = Inputs(checked)
        changes = Changes(memo.inputs, inputs)
        found: dict[str, SheetAnnotations] = {}
        memo.made = 0
        for sheet in checked.corpus.sheets:
            previous = memo.sheets.get(sheet.id)
            if previous is not None and changes.same(previous.reads):
                found[sheet.id] = previous
                continue
            reads: Reads = set()
            seen, _ = reading(inputs, reads)
            texts = ReadingMapping(_AlignedTexts(checked.texts), "texts", reads)
            found[sheet.id] = _annotated(seen.corpus, seen.corpus.by_id[sheet.id], texts, reads)
            memo.made += 1
        memo.inputs, memo.sheets = inputs, found
        return found


def _annotated(
    corpus: Corpus, sheet: records.Sheet, texts: Mapping[str, Aligned], reads: Reads
) -> SheetAnnotations:
    items = tuple(
        fragment(annotation(corpus, sheet, st, texts, _DATA), ITEM_DEPTH) for st in sheet.statements
    )
    block = None
    if sheet.statements:
        here = relative_to(page_url(sheet))
        block = script_json(
            {
                "@context": CONTEXT,
                # A page of annotations must have an IRI: the page's own, with a fragment.
                "id": here(f"{page_url(sheet)}#_annotations"),
                "type": "AnnotationPage",
                "partOf": here(ANNOTATIONS),
                "items": _items(corpus, (sheet,), texts, here),
            }
        )
    return SheetAnnotations(frozenset(reads), items, block)


class _AlignedTexts(Mapping[str, Aligned]):
    """Source id -> its aligned text, aligned when first asked for (see align)."""

    def __init__(self, texts: Mapping[str, SourceText]) -> None:
        self._texts = texts

    def __getitem__(self, source_id: str) -> Aligned:
        return align(self._texts[source_id].raw)

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)
