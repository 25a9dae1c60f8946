"""Event order: dates as sources give them, relative order ('after'/'before'), source order."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model.errors import ContentError
from briefing.present.links import SiteLinker
from briefing.web import pages
from tests.helpers import make_corpus

# Each line is one event's quote; the text's order is the source order.
TEXT = "".join(
    f"Line {n} tells of the {word} event.\n"
    for n, word in enumerate(
        ("first", "second", "third", "fourth", "fifth", "sixth", "seventh"), start=1
    )
)


def event(event_id: str, line: int, dates: str) -> str:
    words = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
    # The quotes print no dates: a dated event says they are inferred (after the dates, so
    # that messages keep their lines).
    inferred = "date_inferred: for the test.\n" if "date" in dates else ""
    return (
        f"id: {event_id}\ntitle: Event {event_id}\nsummary: s.\n{dates}{inferred}"
        "statements:\n  - id: said\n    text: t.\n    kind: reported\n    source: chron\n"
        f"    quote: Line {line} tells of the {words[line - 1]} event.\n"
    )


SOURCE = "id: chron\ntitle: Chronicle\nsummary: s.\ntext: chron.txt\n"
# Ids sort opposite to the order the sources give: zzz first, aaa after it.
EVENTS = {
    "zzz": event("zzz", 3, 'date: "2024-10"\n'),
    "aaa": event("aaa", 1, "after: zzz\n"),
    "bbb": event("bbb", 2, "before: zzz\n"),
    "abc": event("abc", 5, 'date: "2024-10"\n'),
    "yyy": event("yyy", 4, 'date: "2024-10"\n'),
    "rng": event("rng", 6, 'date: "2024-09-01"\nuntil: "2024-09-30"\n'),
    "und": event("und", 7, ""),
}
ORDER = ["rng", "bbb", "zzz", "aaa", "yyy", "abc", "und"]


def files(events: dict[str, str]) -> dict[str, str | bytes]:
    found: dict[str, str | bytes] = {
        "content/sources/chron.yaml": SOURCE,
        "content/sources/chron.txt": TEXT,
    }
    found.update({f"content/events/{key}.yaml": text for key, text in events.items()})
    return found


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    return check(make_corpus(tmp_path_factory.mktemp("chronology"), files(EVENTS)))


def test_relative_order_then_source_order_never_id(checked: Checked) -> None:
    assert [e.id for e in checked.corpus.events] == ORDER


def test_timeline_follows_the_order_and_invents_no_date(checked: Checked) -> None:
    data = pages.shared(checked)
    context = pages.timeline_context(SiteLinker(checked.corpus, pages.TIMELINE), data)
    assert [(year, [e.anchor for e in entries]) for year, entries in context["years"]] == [
        ("2024", ORDER[:-1]),
        ("Undated", ["und"]),
    ]
    entries = {e.anchor: e for _, group in context["years"] for e in group}
    assert (entries["aaa"].iso, entries["aaa"].date) == ("", "after “Event zzz”")
    assert (entries["bbb"].iso, entries["bbb"].date) == ("", "before “Event zzz”")
    assert entries["rng"].date == "1 September 2024 to 30 September 2024"
    assert (entries["und"].iso, entries["und"].date) == ("", "undated")


def test_pager_follows_the_order(checked: Checked) -> None:
    data = pages.shared(checked)
    aaa = checked.corpus.by_id["aaa"]
    context = pages.sheet_context(SiteLinker(checked.corpus, "events/aaa.md"), data, aaa)
    assert (context["previous"].title, context["next"].title) == ("Event zzz", "Event yyy")
    assert context["date"] == "after “Event zzz”"


def problems(tmp_path: Path, events: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files(events)))
    return [str(p) for p in raised.value.problems]


BAD = [
    (
        "cycle",
        {"aaa": event("aaa", 1, "after: zzz\n"), "zzz": event("zzz", 2, "before: aaa\n")},
        [
            "content/events/aaa.yaml:4:8: 'after: zzz' makes a cycle of relative order "
            "(aaa -> zzz -> aaa); date one of these events or remove one 'after'/'before'",
            "content/events/zzz.yaml:4:9: 'before: aaa' makes a cycle of relative order "
            "(zzz -> aaa -> zzz); date one of these events or remove one 'after'/'before'",
        ],
    ),
    (
        "unknown",
        {"aaa": event("aaa", 1, "after: zzy\n"), "zzz": event("zzz", 2, 'date: "2024"\n')},
        ["content/events/aaa.yaml:4:8: unknown reference 'zzy' (did you mean 'zzz'?)"],
    ),
    (
        "not an event",
        {"aaa": event("aaa", 1, "after: chron\n")},
        ["content/events/aaa.yaml:4:8: 'chron' is a source, but this field names a event"],
    ),
    (
        "dated against the order",
        {
            "aaa": event("aaa", 1, 'date: "2025"\nbefore: zzz\n'),
            "zzz": event("zzz", 2, 'date: "2024-10"\n'),
        },
        [
            "content/events/aaa.yaml:5:9: 'before: zzz' contradicts the dates: this event is "
            "dated 2025, 'zzz' 2024-10; correct the date or the order"
        ],
    ),
    (
        "date and dates",
        {"aaa": event("aaa", 1, 'date: "2024"\ndates: ["2023"]\n')},
        [
            "content/events/aaa.yaml:1:1: an event has 'date' (one date or a range) or "
            "'dates' (several), not both"
        ],
    ),
    (
        "range backwards",
        {"aaa": event("aaa", 1, 'date: "2024-10-05"\nuntil: "2024-10-01"\n')},
        [
            "content/events/aaa.yaml:1:1: 'until' (2024-10-01) must come after 'date' "
            "(2024-10-05); swap them"
        ],
    ),
    (
        "until alone",
        {"aaa": event("aaa", 1, 'until: "2024-10-01"\n')},
        ["content/events/aaa.yaml:1:1: 'until' ends a range; give its start as 'date'"],
    ),
]


@pytest.mark.parametrize(("events", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_orders_are_located(
    tmp_path: Path, events: dict[str, str], expected: list[str]
) -> None:
    assert problems(tmp_path, events) == expected


def test_several_dates_sort_by_the_earliest(tmp_path: Path) -> None:
    events = {
        "aaa": event("aaa", 1, 'dates: ["2024-10-05", "2023-02"]\n'),
        "bbb": event("bbb", 2, 'date: "2024"\n'),
    }
    corpus = check(make_corpus(tmp_path, files(events))).corpus
    assert [e.id for e in corpus.events] == ["aaa", "bbb"]


def test_a_dated_event_stands_next_to_the_one_it_precedes(tmp_path: Path) -> None:
    # As when the source says "the day before" and the month is known: the order decides.
    events = {
        "aaa": event("aaa", 1, 'date: "2024-10"\n'),
        "zzz": event("zzz", 3, 'date: "2024-10"\nbefore: ccc\n'),
        "ccc": event("ccc", 2, 'date: "2024-10"\n'),
    }
    corpus = check(make_corpus(tmp_path, files(events))).corpus
    assert [e.id for e in corpus.events] == ["aaa", "zzz", "ccc"]
