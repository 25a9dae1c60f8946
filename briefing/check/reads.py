"""What a computation read of a checked corpus, so that its result can be reused on a later
corpus that answers every one of those reads the same (the live preview).

A page's context, or a sheet's annotations, is a function of what it reads: its sheet, the
sheets and indexes it looks up, the source texts. A ReadingCorpus answers exactly as the
corpus it wraps and notes each question asked of it (a Read: 'by_id' of 'china', 'involving'
'relation' of 'china', every 'sheets'...). A save changes a few sheets; Changes then asks each
noted question of the corpus before and after the save, once per question, and a result
whose every question has the same answer (==: records are frozen dataclasses) is the same
result. Nothing is assumed unchanged: a question the wrapper does not know how to note is a
read of the whole corpus ('sheets'), which every save changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar, cast

from briefing.check.link import Backlink, Corpus
from briefing.check.verify import Checked
from briefing.model import records
from briefing.model.chronology import SourcePlace
from briefing.model.vocabulary import Vocabulary

# A question asked of the checked corpus: its name, then its arguments (see _ANSWERS).
Read = tuple[Any, ...]
Reads = set[Read]

K = TypeVar("K")
V = TypeVar("V")


class _Missing:
    """The answer for a key a mapping does not hold (equal only to itself)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()


@dataclass(frozen=True)
class Inputs:
    """What tracked computations read: the checked corpus, and mappings made from it that
    they read as well, by name ('jsonld': sheet id -> its page's data block)."""

    checked: Checked
    derived: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


class ReadingMapping(Mapping[K, V]):
    """A mapping that notes each key looked up as (name, key), and (name,) for iterating."""

    def __init__(self, inner: Mapping[K, V], name: str, reads: Reads) -> None:
        self._inner, self._name, self._reads = inner, name, reads

    def __getitem__(self, key: K) -> V:
        self._reads.add((self._name, key))
        return self._inner[key]

    def __contains__(self, key: object) -> bool:
        self._reads.add((self._name, key))
        return key in self._inner

    def get(self, key: K, default: Any = None) -> Any:
        self._reads.add((self._name, key))
        return self._inner.get(key, default)

    def __iter__(self) -> Iterator[K]:
        self._reads.add((self._name,))
        return iter(self._inner)

    def __len__(self) -> int:
        self._reads.add((self._name,))
        return len(self._inner)


class _ReadingLinks(frozenset[tuple[str, str, str]]):
    """Corpus.text_links noting each membership test (iterating reads them all)."""

    _reads: Reads
    _inner: frozenset[tuple[str, str, str]]

    def __contains__(self, item: object) -> bool:
        # A sound corpus (the only one rendered) holds (target, sheet id, statement id)
        # exactly when that statement of that sheet links to target: a read of the sheet.
        if isinstance(item, tuple) and len(item) == 3:
            self._reads.add(("by_id", item[1]))
        else:
            self._reads.add(("text_links",))
        return item in self._inner

    def __iter__(self) -> Iterator[tuple[str, str, str]]:
        self._reads.add(("text_links",))
        return iter(self._inner)

    def __len__(self) -> int:
        self._reads.add(("text_links",))
        return len(self._inner)


class ReadingCorpus(Corpus):
    """A Corpus answering from another one and noting every question asked (see the module).

    Each field of Corpus is answered here, so anything Corpus computes from its fields on
    this object is noted too (at worst as a read of every sheet); the indexes pages use
    are answered from the wrapped corpus, noted by their arguments.
    """

    _inner: Corpus
    _reads: Reads

    def __init__(self, inner: Corpus, reads: Reads) -> None:  # no dataclass __init__
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_reads", reads)

    def _note(self, *read: Any) -> None:
        self._reads.add(read)

    @property
    def sheets(self) -> tuple[records.Sheet, ...]:
        self._note("sheets")
        return self._inner.sheets

    @property
    def by_id(self) -> MappingProxyType[str, records.Sheet]:
        return cast(
            "MappingProxyType[str, records.Sheet]",
            ReadingMapping(self._inner.by_id, "by_id", self._reads),
        )

    @property
    def backlinks(self) -> MappingProxyType[str, tuple[Backlink, ...]]:
        return cast(
            "MappingProxyType[str, tuple[Backlink, ...]]",
            ReadingMapping(self._inner.backlinks, "backlinks", self._reads),
        )

    @property
    def source_places(self) -> MappingProxyType[str, SourcePlace]:
        return cast(
            "MappingProxyType[str, SourcePlace]",
            ReadingMapping(self._inner.source_places, "source_places", self._reads),
        )

    @property
    def text_links(self) -> frozenset[tuple[str, str, str]]:
        links = _ReadingLinks()
        links._reads, links._inner = self._reads, self._inner.text_links
        return links

    @property
    def settings(self) -> records.Settings:
        self._note("settings")
        return self._inner.settings

    @property
    def vocabulary(self) -> Vocabulary:
        self._note("vocabulary")
        return self._inner.vocabulary

    @property
    def events(self) -> tuple[records.Event, ...]:
        self._note("events")
        return self._inner.events

    @property
    def event_at(self) -> dict[str, int]:
        return cast("dict[str, int]", ReadingMapping(self._inner.event_at, "event_at", self._reads))

    def anchor_date(self, event: records.Event) -> records.PartialDate | None:
        self._note("by_id", event.id)  # the event given is the corpus's, by its id
        self._note("anchor_date", event.id)
        return self._inner.anchor_date(event)

    def events_of(self, actor_id: str) -> tuple[records.Event, ...]:
        self._note("events_of", actor_id)
        return self._inner.events_of(actor_id)

    def of_kind(self, kind: str) -> tuple[records.Sheet, ...]:
        self._note("of_kind", kind)
        return self._inner.of_kind(kind)

    def involving(self, kind: str, actor_id: str) -> tuple[records.Sheet, ...]:
        self._note("involving", kind, actor_id)
        return self._inner.involving(kind, actor_id)

    def citing(self, source_id: str) -> tuple[tuple[records.Sheet, records.Statement], ...]:
        self._note("citing", source_id)
        return self._inner.citing(source_id)

    def statement(self, target: str) -> records.Statement:
        # 'sheet-id#statement-id' is a statement of the sheet with that id: a read of it.
        self._note("by_id", target.partition("#")[0])
        return self._inner.statement(target)


def reading(inputs: Inputs, reads: Reads) -> tuple[Checked, dict[str, Mapping[str, Any]]]:
    """The checked corpus and the derived mappings of inputs, noting every read into reads."""
    checked = inputs.checked
    corpus = ReadingCorpus(checked.corpus, reads)
    texts = cast(Any, ReadingMapping(checked.texts, "texts", reads))
    derived: dict[str, Mapping[str, Any]] = {
        name: ReadingMapping(found, name, reads) for name, found in inputs.derived.items()
    }
    return Checked(corpus, texts, checked.warnings, checked.notices), derived


# The corpus's mappings the wrappers note look-ups in; also "texts" and inputs' derived ones.
_CORPUS_MAPPINGS = ("by_id", "backlinks", "source_places", "event_at")


def _mapping(inputs: Inputs, name: str) -> Mapping[Any, Any]:
    corpus = inputs.checked.corpus
    if name in _CORPUS_MAPPINGS:
        return cast(Mapping[Any, Any], getattr(corpus, name))
    if name == "texts":
        return inputs.checked.texts
    return inputs.derived[name]  # a name no inputs give is a bug: never taken as unchanged


def _anchor(corpus: Corpus, event_id: str) -> Any:
    event = corpus.by_id.get(event_id)
    return corpus.anchor_date(event) if isinstance(event, records.Event) else MISSING


# The answer to each question the wrappers note (besides mapping look-ups), from a corpus.
_ANSWERS: dict[str, Callable[..., Any]] = {
    "sheets": lambda corpus: corpus.sheets,
    "settings": lambda corpus: corpus.settings,
    "vocabulary": lambda corpus: corpus.vocabulary,
    "events": lambda corpus: corpus.events,
    "text_links": lambda corpus: corpus.text_links,
    "anchor_date": _anchor,
    "events_of": lambda corpus, actor_id: corpus.events_of(actor_id),
    "of_kind": lambda corpus, kind: corpus.of_kind(kind),
    "involving": lambda corpus, kind, actor_id: corpus.involving(kind, actor_id),
    "citing": lambda corpus, source_id: corpus.citing(source_id),
}


def answer(inputs: Inputs, read: Read) -> Any:
    """What inputs answer to a question noted by the wrappers above."""
    name = read[0]
    found = _ANSWERS.get(name)
    if found is not None:
        return found(inputs.checked.corpus, *read[1:])
    mapping = _mapping(inputs, name)
    if len(read) == 1:  # iterated: every key and value
        return dict(mapping)
    return mapping.get(read[1], MISSING)


class Changes:
    """Which questions the inputs after a save answer differently from those before it,
    each asked once of both."""

    def __init__(self, before: Inputs | None, after: Inputs) -> None:
        self.before, self.after = before, after
        self._same: dict[Read, bool] = {}
        # Mapping name -> that mapping before and after.
        self._mappings: dict[str, tuple[Mapping[Any, Any], Mapping[Any, Any]]] = {}

    def same(self, reads: Iterable[Read]) -> bool:
        """Whether every one of reads has the same answer before and after (False if there
        was no before)."""
        before = self.before
        if before is None:
            return False
        known, after, mappings = self._same, self.after, self._mappings
        for read in reads:
            same = known.get(read)
            if same is None:
                # Most questions are a key of a mapping (a sheet by its id): answered here,
                # without answer()'s look-ups.
                name = read[0]
                if len(read) == 2 and name not in _ANSWERS:
                    pair = mappings.get(name)
                    if pair is None:
                        pair = mappings[name] = (_mapping(before, name), _mapping(after, name))
                    old, new = pair[0].get(read[1], MISSING), pair[1].get(read[1], MISSING)
                else:
                    old, new = answer(before, read), answer(after, read)
                same = known[read] = old is new or bool(old == new)
            if not same:
                return False
        return True
