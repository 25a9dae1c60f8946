"""Synthetic corpora for the benchmark: N valid, cross-referenced sheets, deterministic per seed.

The proportions and sizes follow the seed corpus and what analysts write: about a third of
the sheets are events, a third actors, a quarter relations, with a few sources and briefings;
a sheet is about 30 lines with two statements on average (the content branch: 28 lines and
1.7 statements). Popular actors are named far more often than others (a Zipf-like choice),
so actor pages with long "Referenced by" lists exist as they do in real material.
Every quote is a sentence of its source's archived text, which is written last from the
quotes that cite it, with some filler sentences listed as excluded.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefing.model.contract import ACTOR_TYPES, ATTRIBUTED_KINDS, RELATION_TYPES, STATEMENT_KINDS


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Share of each kind in a corpus; events take what rounding leaves.
SHARES = {"sources": 0.08, "actors": 0.30, "relations": 0.25, "briefings": 0.04}
# Relations tie up to three different actors: 0.30 * 20 = 6 actors at least.
MIN_SHEETS = 20
# Statements per sheet (inclusive range) for each kind.
STATEMENTS = {
    "sources": (0, 0),
    "actors": (2, 5),
    "relations": (1, 3),
    "events": (1, 3),
    "briefings": (0, 1),
}
# How often a summary or a statement's text links the actor it names with [[id]]. The
# content branch (38 sheets) links 2 of 38 summaries and 5 of 65 statement texts; these
# shares are higher on purpose, since every link adds a backlink with text to another page.
# Summaries always link the actors they name (see summary()).
SHARE_LINKED = {"statement": 0.25}
KIND_WEIGHTS = dict(zip(STATEMENT_KINDS, (40, 20, 10, 20, 10), strict=True))
NOUNS = _words(
    "trade ports sanctions drones missiles oil exports currency reserves troops border talks "
    "pipeline grain fertiliser chips satellites shipyards bank loans tariffs envoys treaty "
    "summit deployment convoy refinery harbour railway uranium inspectors militia corridor "
    "observers election parliament ministry budget factories components shells radar "
    "airbase frigates fishing quotas visas pilgrims students cables routers debt"
)
VERBS = _words(
    "expanded reduced financed blocked delivered announced suspended doubled resumed "
    "approved rejected negotiated supplied withdrew restored halted tripled reviewed"
)
ADJECTIVES = _words(
    "northern southern eastern western coastal central allied neutral federal regional "
    "maritime inland frontier island highland lowland red blue green golden silver iron"
)
PLACES = _words(
    "amber basalt cedar delta ember fjord granite harbor indigo juniper kestrel lagoon "
    "meadow nimbus onyx prairie quartz raven sierra tundra umber valley willow xenon "
    "yarrow zephyr atlas boreal cobalt dune"
)
BASE_FORMS = {
    "reduced": "reduce",
    "financed": "finance",
    "doubled": "double",
    "resumed": "resume",
    "approved": "approve",
    "supplied": "supply",
    "restored": "restore",
    "tripled": "triple",
    "halted": "halt",
    "announced": "announce",
    "negotiated": "negotiate",
    "withdrew": "withdraw",
}
SPEAKERS = ("U.S. officials", "Western diplomats", "analysts", "the ministry", "local reporters")
FORECAST_VERBS = ("could", "may", "might")
FILLER = (
    "Much remains uncertain.",
    "That is only part of the story.",
    "The question is what comes next.",
    "Few expected this a year ago.",
    "History offers mixed lessons here.",
)


@dataclass
class Stats:
    """What a generated corpus holds."""

    sheets: int = 0
    statements: int = 0
    refs: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    bytes: int = 0


def counts(n: int) -> dict[str, int]:
    """How many sheets of each kind a corpus of n sheets has (at least one of each)."""
    if n < MIN_SHEETS:
        raise ValueError(f"a synthetic corpus needs at least {MIN_SHEETS} sheets")
    numbers = {kind: max(1, int(n * share)) for kind, share in SHARES.items()}
    numbers["events"] = n - sum(numbers.values())
    return numbers


class _Writer:
    """Builds the sheets of one corpus as plain data, then writes them as YAML."""

    def __init__(self, n: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.numbers = counts(n)
        self.stats = Stats(sheets=n, by_kind=dict(self.numbers))
        self.actor_ids = [self.slug(i) for i in range(self.numbers["actors"])]
        self.actor_names = {a: a.replace("-", " ").title() for a in self.actor_ids}
        # Zipf-like popularity: actor k is named with weight 1/(k+1).
        weights = [1 / (k + 1) for k in range(len(self.actor_ids))]
        self.cumulative = list(itertools.accumulate(weights))
        self.source_ids = [f"report-{i:05d}" for i in range(self.numbers["sources"])]
        self.quotes: dict[str, list[str]] = {s: [] for s in self.source_ids}
        self.statement_refs: list[str] = []
        self.sheet_ids: list[str] = list(self.actor_ids)

    def slug(self, i: int) -> str:
        rng = self.rng
        return f"{rng.choice(PLACES)}-{rng.choice(ADJECTIVES)}-{i}"

    def actor(self) -> str:
        total = self.cumulative[-1]
        index = bisect.bisect_left(self.cumulative, self.rng.random() * total)
        return self.actor_ids[min(index, len(self.actor_ids) - 1)]

    def actors(self, low: int, high: int) -> list[str]:
        chosen: list[str] = []
        wanted = min(self.rng.randint(low, high), len(self.actor_ids))
        while len(chosen) < wanted:
            actor = self.actor()
            if actor not in chosen:
                chosen.append(actor)
        return chosen

    def ref(self, target: str, label: str = "") -> str:
        self.stats.refs += 1
        return f"[[{target}|{label}]]" if label else f"[[{target}]]"

    def sentence(self, subject: str, forecast: bool = False) -> str:
        rng = self.rng
        verb = rng.choice(VERBS)
        if forecast:  # 'could double', 'may resume': the hedge the claim must keep
            verb = f"{rng.choice(FORECAST_VERBS)} {BASE_FORMS.get(verb, verb.removesuffix('ed'))}"
        return (
            f"{subject} {verb} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} worth "
            f"{rng.randint(2, 900)} million dollars in {rng.randint(1990, 2025)}, "
            f"while {rng.choice(NOUNS)} and {rng.choice(NOUNS)} near "
            f"{rng.choice(PLACES).title()}'s coast were {rng.choice(VERBS)}."
        )

    def summary(self, about: list[str]) -> str:
        rng = self.rng
        # A summary restates statements (check's restatement rule); the actors it names need
        # not be in the sheet's statements, so it names them by link (a link's label is the
        # linked sheet's name). The draw stays, so the rest of the corpus is as before.
        rng.random()
        names = " and ".join(self.ref(a) for a in about)
        return (
            f"How {names} {rng.choice(VERBS)} {rng.choice(NOUNS)} and "
            f"{rng.choice(NOUNS)} across the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}."
        )

    def statements(self, kind: str, sheet_id: str) -> list[dict[str, Any]]:
        rng = self.rng
        low, high = STATEMENTS[kind]
        result = []
        for number in range(rng.randint(low, high)):
            st_kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
            subject = self.actor()
            quote = self.sentence(self.actor_names[subject], forecast=st_kind == "forecast")
            # The claim names the actor by reference; the quote keeps the printed name.
            text = quote
            if rng.random() < SHARE_LINKED["statement"]:
                text = quote.replace(self.actor_names[subject], self.ref(subject), 1)
            source = rng.choice(self.source_ids)
            statement: dict[str, Any] = {"id": f"s{number + 1}-{rng.choice(NOUNS)}"}
            statement.update(text=text, kind=st_kind)
            if st_kind in ATTRIBUTED_KINDS:
                speaker = rng.choice([*SPEAKERS, self.ref(self.actor())])
                statement["attributed_to"] = speaker
            statement.update(source=source, quote=quote)
            if rng.random() < 0.2:
                statement["figures"] = [
                    {
                        "value": quote.split(" worth ")[1].split()[0],
                        "unit": "million USD",
                        "what": f"{rng.choice(NOUNS)} of {self.actor_names[subject]}",
                        "period": quote.split(" in ")[1][:4],
                    }
                ]
            if rng.random() < 0.2:
                statement["as_of"] = f"{rng.randint(2000, 2025)}-{rng.randint(1, 12):02d}"
            if rng.random() < 0.05:
                statement["note"] = "The figure is rounded as the source rounds it."
            self.quotes[source].append(quote)
            self.statement_refs.append(f"{sheet_id}#{statement['id']}")
            result.append(statement)
        self.stats.statements += len(result)
        return result

    def base(self, sheet_id: str, title_key: str, title: str, about: list[str]) -> dict[str, Any]:
        sheet: dict[str, Any] = {"id": sheet_id, title_key: title, "summary": self.summary(about)}
        return sheet

    def finish(self, sheet: dict[str, Any], kind: str) -> dict[str, Any]:
        if self.rng.random() < 0.5:
            sheet["tags"] = sorted({self.rng.choice(NOUNS) for _ in range(2)})
        statements = self.statements(kind, sheet["id"])
        if statements:
            sheet["statements"] = statements
        return sheet

    def make_actor(self, actor_id: str) -> dict[str, Any]:
        rng = self.rng
        sheet = self.base(actor_id, "name", self.actor_names[actor_id], self.actors(1, 1))
        sheet["type"] = rng.choice(ACTOR_TYPES)
        if rng.random() < 0.4:
            sheet["aliases"] = [f"{rng.choice(PLACES).title()} {rng.choice(NOUNS)}"]
        if rng.random() < 0.6:
            sheet["role"] = f"Works with {self.ref(self.actor())} on {rng.choice(NOUNS)}."
        interests = [f"Secure {rng.choice(NOUNS)} and {rng.choice(NOUNS)}." for _ in range(3)]
        if interests := interests[: rng.randint(0, 3)]:
            sheet["interests"] = interests
        return self.finish(sheet, "actors")

    def make_relation(self, number: int) -> dict[str, Any]:
        actors = self.actors(2, 3)
        types = sorted(set(self.rng.sample(RELATION_TYPES, self.rng.randint(1, 3))))
        first, second = (a.partition("-")[0] for a in actors[:2])
        sheet_id = f"{first}-{second}-{types[0]}-{number}"
        title = f"{self.actor_names[actors[0]]}–{self.actor_names[actors[1]]} {types[0]}"
        sheet = self.base(sheet_id, "title", title, actors[:2])
        sheet.update(actors=actors, types=types)
        self.sheet_ids.append(sheet_id)
        return self.finish(sheet, "relations")

    def make_event(self, number: int) -> dict[str, Any]:
        rng = self.rng
        actors = self.actors(1, 3)
        noun, verb = rng.choice(NOUNS), rng.choice(VERBS)
        sheet_id = f"{noun}-{verb}-{number}"
        title = f"{self.actor_names[actors[0]]} {verb} {noun}"
        sheet = self.base(sheet_id, "title", title, actors[:1])
        year, month, day = rng.randint(1995, 2025), rng.randint(1, 12), rng.randint(1, 28)
        dates = [f"{year}", f"{year}-{month:02d}", f"{year}-{month:02d}-{day:02d}"]
        sheet["date"] = rng.choice(dates)
        # Synthetic quotes print no dates: each date says it is inferred (check refuses a
        # date no quote prints); the draw stays, so the corpus is the same as before.
        month_only = rng.random() < 0.1
        sheet["date_inferred"] = (
            "The source gives the month only; the year is inferred."
            if month_only
            else "Synthetic: the quotes print no date."
        )
        sheet["actors"] = actors
        self.sheet_ids.append(sheet_id)
        return self.finish(sheet, "events")

    def make_briefing(self, number: int) -> dict[str, Any]:
        rng = self.rng
        sheet_id = f"briefing-{number:04d}"
        sheet = self.base(sheet_id, "title", f"Briefing {number}: {rng.choice(NOUNS)}", [])
        sheet["summary"] = f"What {rng.choice(NOUNS)} means for {self.ref(self.actor())}."
        sheet["bluf"] = f"{self.ref(self.actor())} {rng.choice(VERBS)} {rng.choice(NOUNS)}."
        sheet["key_judgments"] = rng.sample(self.statement_refs, 4)
        sheet["sections"] = [
            {
                "title": f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)}",
                "text": f"{self.ref(self.actor())} and {self.ref(rng.choice(self.sheet_ids))}.",
                "refs": [*rng.sample(self.statement_refs, 2), rng.choice(self.sheet_ids)],
            }
            for _ in range(rng.randint(2, 4))
        ]
        return self.finish(sheet, "briefings")

    def make_source(self, source_id: str) -> tuple[dict[str, Any], str]:
        rng = self.rng
        quotes = self.quotes[source_id]
        fillers = [rng.choice(FILLER) for _ in range(1 + len(quotes) // 8)]
        sentences = [*quotes, *fillers]
        rng.shuffle(sentences)
        # Paragraphs of four sentences; typographic apostrophes and dashes as printed.
        paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
        text = "\n\n".join(p.replace("'", "\u2019") for p in paragraphs) + "\n"
        title = f"Report {source_id[-5:]} on {rng.choice(NOUNS)} and {rng.choice(NOUNS)}"
        sheet = self.base(source_id, "title", title, self.actors(1, 2))
        publication: dict[str, str] = {"publisher": f"{rng.choice(PLACES).title()} Review"}
        if rng.random() < 0.7:
            publication["date"] = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}"
        if rng.random() < 0.5:
            publication["url"] = f"https://example.org/{source_id}"
        sheet.update(publication=publication, text=f"{source_id}.txt")
        sheet["excluded"] = [{"quote": f, "reason": "rhetoric"} for f in sorted(set(fillers))]
        return self.finish(sheet, "sources"), text


class _Dumper(yaml.SafeDumper):
    """Plain YAML without aliases: the strict loader rejects them."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(sheet: dict[str, Any]) -> str:
    return yaml.dump(sheet, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def generate(content: Path, n: int, seed: int = 0) -> Stats:
    """Write a valid corpus of n sheets under content/<kind>/; the same seed, the same bytes."""
    writer = _Writer(n, seed)
    sheets: dict[str, list[dict[str, Any]]] = {
        "actors": [writer.make_actor(a) for a in writer.actor_ids],
        "relations": [writer.make_relation(i) for i in range(writer.numbers["relations"])],
        "events": [writer.make_event(i) for i in range(writer.numbers["events"])],
    }
    sheets["briefings"] = [writer.make_briefing(i) for i in range(writer.numbers["briefings"])]
    texts: dict[str, str] = {}
    sheets["sources"] = []
    for source_id in writer.source_ids:
        sheet, texts[source_id] = writer.make_source(source_id)
        sheets["sources"].append(sheet)
    for kind, items in sheets.items():
        folder = content / kind
        folder.mkdir(parents=True, exist_ok=True)
        for sheet in items:
            data = _dump(sheet).encode("utf-8")
            (folder / f"{sheet['id']}.yaml").write_bytes(data)
            writer.stats.bytes += len(data)
    for source_id, text in texts.items():
        (content / "sources" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    return writer.stats
