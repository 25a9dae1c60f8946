"""Sheets added to make_corpus' small corpus for the view, page and print document tests.

Around the source 'article' and the actors 'china' and 'russia': a relation with a quote
and a forecast, three events dated to a year, a month and a day (written out of date
order), and a briefing citing statements and sheets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.pdf.cache import CACHE_ENV
from briefing.project import Project
from tests.helpers import make_corpus

EXTRA = {
    "content/relations/tie.yaml": """\
        id: tie
        title: The tie
        summary: Between [[china]] and [[russia]].
        actors: [china, russia]
        types: [trade, diplomacy]
        statements:
          - id: risk
            text: A wider war in the Middle East could puncture energy markets.
            kind: forecast
            source: article
            quote: A wider war in the Middle East could puncture energy markets.
          - id: said
            text: Trade between China and Russia reached a record $240 billion last year.
            kind: quote
            attributed_to: "[[russia]] officials"
            source: article
            quote: Trade between China and Russia reached a record $240 billion last year.
            figures:
              - value: "240"
                unit: billion USD
                what: trade with [[china]]
                period: last year
        """,
    "content/events/late.yaml": """\
        id: late
        title: Late event
        date: "2024-10-23"
        summary: The day.
        actors: [china]
        """,
    "content/events/early.yaml": """\
        id: early
        title: Early event
        date: "2024"
        summary: The year.
        actors: [china, russia]
        """,
    "content/events/middle.yaml": """\
        id: middle
        title: Middle event
        date: "2024-10"
        summary: The month.
        actors: [china]
        """,
    "content/briefings/brief.yaml": """\
        id: brief
        title: The brief
        summary: In short.
        bluf: Trade binds [[china]] and [[russia]].
        key_judgments: [china#trade]
        sections:
          - title: Ties
            text: See [[tie]].
            refs: [tie, tie#said]
        """,
}


def small_checked(tmp_path: Path) -> Checked:
    """The checked corpus: make_corpus' sheets plus EXTRA."""
    return check(make_corpus(tmp_path, EXTRA))


def cached_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """The corpus with EXTRA, built with a fixed SOURCE_DATE_EPOCH and its cache in
    tmp_path/cache (the warm-build tests)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    return make_corpus(tmp_path, EXTRA)
