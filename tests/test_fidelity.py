"""check's fidelity rules, rule by rule: voices, figures, inferred dates, restatement,
estimative language (ICD 203), review dates and unnamed sources; each located exactly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing.check import fidelity
from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model.errors import ContentError
from tests.helpers import ROOT, SOURCE_TEXT, make_corpus

A = "content/actors/iran.yaml"
E = "content/events/talks.yaml"
# The base article, and sentences each rule needs.
TEXT = SOURCE_TEXT + (
    "Austin said the troops were a very serious issue.\n"
    "Talks will likely fail, analysts judge with moderate confidence.\n"
    "A crossing will probably open.\n"
    "The talks resumed on 3 March 2030.\n"
    "The talks resumed in 2030.\n"
)
TRADE = "Trade between China and Russia reached a record $240 billion last year."
AUSTIN = "Austin said the troops were a very serious issue."
LIKELY = "Talks will likely fail, analysts judge with moderate confidence."
PROBABLY = "A crossing will probably open."


def actor(text: str, quote: str, extra: str = "", head: str = "") -> str:
    """Iran with one statement 's' (its text on line 7, its quote on line 10)."""
    return (
        f"id: iran\nname: Iran\ntype: state\nsummary: A state.\n{head}statements:\n"
        f"  - id: s\n    text: {text}\n    kind: reported\n    source: article\n"
        f"    quote: {quote}\n{extra}"
    )


def event(dates: str, quote: str, extra: str = "") -> str:
    """The event 'talks' with its date fields from line 3 and one statement."""
    return (
        f"id: talks\ntitle: Talks\n{dates}{extra}summary: Talks resumed.\nstatements:\n"
        "  - id: s\n    text: The talks resumed.\n    kind: reported\n    source: article\n"
        f"    quote: {quote}\n"
    )


def files_with(sheets: dict[str, str]) -> dict[str, str | bytes]:
    return {"content/sources/article.txt": TEXT, **sheets}


def problems(tmp_path: Path, sheets: dict[str, str]) -> list[str]:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, files_with(sheets)))
    return [str(p) for p in raised.value.problems]


def passes(tmp_path: Path, sheets: dict[str, str]) -> Checked:
    return check(make_corpus(tmp_path, files_with(sheets)))


FIGURE = "    figures:\n      - value: '{value}'\n        what: trade\n"
VOICE = (
    "statement 's' drops the voice of its quote ({who}, 'say'); say who speaks in 'text', or "
    "give 'attributed_to' (and kind 'attributed' or 'quote'): the source reports these words, "
    "it does not state them"
)
LIKELIHOOD = "    likelihood: {term}\n"
BAD = [
    (
        "voice dropped: speaker and verb",
        {A: actor("The troops were a very serious issue.", AUSTIN)},
        [f"{A}:7:11: " + VOICE.format(who="'Austin'")],
    ),
    (
        "voice dropped: verb kept, speaker lost",
        {A: actor("Officials said the troops were a very serious issue.", AUSTIN)},
        [f"{A}:7:11: " + VOICE.format(who="'Austin'")],
    ),
    (
        "figure not printed in its quote",
        {A: actor(TRADE, TRADE, FIGURE.format(value="250"))},
        [
            f"{A}:12:9: figure '250' of statement 's' is not printed in its quote (no '250' "
            "there); a figure is a number the quote gives: quote the passage that prints it, "
            "or remove the figure"
        ],
    ),
    (
        "one end of a range not printed",
        {A: actor(TRADE, TRADE, FIGURE.format(value="200-240"))},
        [
            f"{A}:12:9: figure '200-240' of statement 's' is not printed in its quote (no "
            "'200' there); a figure is a number the quote gives: quote the passage that "
            "prints it, or remove the figure"
        ],
    ),
    (
        "date not printed in the quotes",
        {E: event('date: "2031"\n', "The talks resumed in 2030.")},
        [
            f"{E}:3:7: date '2031' is not printed in this event's quotes (no quote gives "
            "2031); leave it out and order the event with 'after' or 'before', or say how it "
            "was inferred in 'date_inferred' (a 'date_note' that says so becomes "
            "'date_inferred')"
        ],
    ),
    (
        "a day more precise than the quote",
        {E: event('date: "2030-03-04"\n', "The talks resumed on 3 March 2030.")},
        [
            f"{E}:3:7: date '2030-03-04' is not printed in this event's quotes (no quote "
            "gives day 4); leave it out and order the event with 'after' or 'before', or say "
            "how it was inferred in 'date_inferred' (a 'date_note' that says so becomes "
            "'date_inferred')"
        ],
    ),
    (
        "likelihood mistyped",
        {A: actor("Talks will likely fail.", LIKELY, LIKELIHOOD.format(term="likly"))},
        [
            f"{A}:11:17: 'likelihood' must be one of almost no chance, very unlikely, "
            "unlikely, roughly even chance, likely, very likely, almost certain (got 'likly') "
            "(did you mean 'likely'?)"
        ],
    ),
    (
        "likelihood more certain than the quote",
        {A: actor("Talks will likely fail.", LIKELY, LIKELIHOOD.format(term="very likely"))},
        [
            f"{A}:11:17: likelihood 'very likely' of statement 's' is not the source's: its "
            "quote supports only 'likely'; give the term the quote supports, or remove "
            "'likelihood'"
        ],
    ),
    (
        "likelihood the quote does not give",
        {A: actor(TRADE, TRADE, LIKELIHOOD.format(term="likely"))},
        [
            f"{A}:11:17: likelihood 'likely' of statement 's' is not the source's: its quote "
            "gives no likelihood (words such as 'likely', 'probably'); give the term the "
            "quote supports, or remove 'likelihood'"
        ],
    ),
    (
        "confidence the quote does not state",
        {A: actor("Talks will likely fail.", LIKELY, "    confidence: high\n")},
        [
            f"{A}:11:17: confidence 'high' of statement 's' is not the source's: its quote "
            "supports only 'moderate'; give the term the quote supports, or remove "
            "'confidence'"
        ],
    ),
    (
        "confidence and likelihood in one field",
        {A: actor("Talks will likely fail.", LIKELY, "    confidence: likely\n")},
        [
            f"{A}:11:17: 'confidence' must be one of low, moderate, high (got 'likely')",
        ],
    ),
    (
        "a summary adds a name",
        {A: actor(TRADE, TRADE).replace("summary: A state.", "summary: Trades with Turkey.")},
        [
            f"{A}:4:10: 'summary' says 'Turkey', which no statement of this sheet or cited by "
            "it says; a summary restates statements: cite the statement that says it, or "
            "leave the word out"
        ],
    ),
    (
        "a role adds a number",
        {A: actor(TRADE, TRADE, head="role: Trades $250 billion with China.\n")},
        [
            f"{A}:5:7: 'role' says '250', which no statement of this sheet or cited by it "
            "says; a role restates statements: cite the statement that says it, or leave the "
            "word out"
        ],
    ),
    (
        "a bottom line adds a year",
        {
            "content/briefings/brief.yaml": (
                "id: brief\ntitle: Brief\nsummary: In short.\n"
                "bluf: Trade binds [[china]] and [[russia]] since 2019.\n"
                "key_judgments: [china#trade]\n"
            )
        },
        [
            "content/briefings/brief.yaml:4:7: 'bluf' says '2019', which no statement of this "
            "sheet or cited by it says; a bluf restates statements: cite the statement that "
            "says it, or leave the word out"
        ],
    ),
]


@pytest.mark.parametrize(("sheets", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_broken_fidelity_rule_is_a_located_error(
    tmp_path: Path, sheets: dict[str, str], expected: list[str]
) -> None:
    assert problems(tmp_path, sheets) == expected


GOOD = [
    ("voice kept in the text", {A: actor("Austin said the troops were serious.", AUSTIN)}),
    (
        "voice kept by the attribution",
        {
            A: actor("The troops were a very serious issue.", AUSTIN).replace(
                "kind: reported", "kind: quote\n    attributed_to: Austin"
            )
        },
    ),
    ("figure printed, thousands aside", {A: actor(TRADE, TRADE, FIGURE.format(value="240"))}),
    (
        "date printed in full",
        {E: event('date: "2030-03-03"\n', "The talks resumed on 3 March 2030.")},
    ),
    (
        "date inferred, with how",
        {E: event('date: "2031"\n', "The talks resumed in 2030.", "date_inferred: A guess.\n")},
    ),
    ("date_note, as older sheets say it", {E: event('date: "2031"\n', TRADE, "date_note: x.\n")}),
    (
        "scale terms the quote supports",
        {
            A: actor(
                "Talks will likely fail, analysts judge.",
                LIKELY,
                "    likelihood: likely\n    confidence: moderate\n",
            )
        },
    ),
    (
        "a source's word mapped onto the scale",
        {A: actor("A crossing will probably open.", PROBABLY, LIKELIHOOD.format(term="likely"))},
    ),
    (
        "a summary naming what a cited statement says",
        {
            A: actor(TRADE, TRADE).replace(
                "summary: A state.", "summary: As [[tie#s]] says, Ukrainian officials believe it."
            )
        }
        | {
            "content/relations/tie.yaml": (
                "id: tie\ntitle: Tie\nsummary: s.\nactors: [china, russia]\ntypes: [trade]\n"
                "statements:\n  - id: s\n    text: Ukrainian officials believe it.\n"
                "    kind: attributed\n    attributed_to: Ukrainian officials\n"
                "    source: article\n    quote: Ukrainian officials believe\n"
            )
        },
    ),
]


@pytest.mark.parametrize("sheets", [c[1] for c in GOOD], ids=[c[0] for c in GOOD])
def test_what_the_source_supports_passes(tmp_path: Path, sheets: dict[str, str]) -> None:
    checked = passes(tmp_path, sheets)
    assert checked.warnings == () and checked.notices == ()


SECOND = {
    "content/sources/memo.txt": "The memo says trade grew.\n",
    "content/sources/memo.yaml": "id: memo\ntitle: A memo\nsummary: s.\ntext: memo.txt\n",
}
MEMO_STATEMENT = (
    "  - id: m\n    text: The memo says trade grew.\n    kind: reported\n    source: memo\n"
    "    quote: The memo says trade grew.\n"
)
WARNED = [
    (
        "a likelihood word outside the scale",
        {A: actor("A crossing will probably open.", PROBABLY)},
        f"{A}:7:11: warning: statement 's' says 'probably', a likelihood word outside the "
        "ICD 203 scale; keep the source's word and give 'likelihood' ('likely' if the quote "
        "supports it)",
    ),
    (
        "'the author' in a sheet citing two sources",
        {
            **SECOND,
            A: actor(TRADE, TRADE).replace("summary: A state.", "summary: As the author says.")
            + MEMO_STATEMENT,
        },
        f"{A}:4:10: warning: 'the author' is ambiguous in a sheet citing 2 sources (article, "
        "memo); name the source (its author, publisher or short title)",
    ),
    (
        "a dated event without statements",
        {E: 'id: talks\ntitle: Talks\ndate: "2030"\nsummary: Talks.\n'},
        f"{E}:3:7: warning: event 'talks' is dated 2030 but has no statement; add one whose "
        "quote prints the date, or say how it was inferred in 'date_inferred'",
    ),
]


@pytest.mark.parametrize(
    ("sheets", "expected"), [c[1:] for c in WARNED], ids=[c[0] for c in WARNED]
)
def test_a_warning_is_located_and_does_not_fail(
    tmp_path: Path, sheets: dict[str, str], expected: str
) -> None:
    checked = passes(tmp_path, sheets)
    assert [str(p) for p in checked.warnings] == [expected]


def test_the_author_in_a_sheet_of_one_source_is_not_warned(tmp_path: Path) -> None:
    sheet = actor(TRADE, TRADE).replace("summary: A state.", "summary: As the author says.")
    assert passes(tmp_path, {A: sheet}).warnings == ()


REVIEWED = actor(TRADE, TRADE, head='review_by: "2030-06"\n')


@pytest.mark.parametrize(
    ("today", "due"), [("2030-06-30", False), ("2030-07-01", True), ("2031-01-01", True)]
)
def test_a_sheet_past_its_review_date_gets_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, due: bool
) -> None:
    monkeypatch.setenv("BRIEFING_TODAY", today)
    notices = [str(p) for p in passes(tmp_path, {A: REVIEWED}).notices]
    expected = (
        f"{A}:5:12: notice: sheet 'iran' was due for review by 2030-06 (today is {today}); "
        "review it against its sources and set a later 'review_by'"
    )
    assert notices == ([expected] if due else [])


def run_check(
    root: Path, *args: str, today: str = "2031-01-01"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "check", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BRIEFING_TODAY": today},
    )


def test_check_prints_notices_and_warnings_and_only_strict_fails(tmp_path: Path) -> None:
    sheet = REVIEWED.replace(f"text: {TRADE}", "text: A crossing will probably open.").replace(
        f"quote: {TRADE}", f"quote: {PROBABLY}"
    )
    root = make_corpus(tmp_path, files_with({A: sheet})).root
    lines = [
        f"{A}:5:12: notice: sheet 'iran' was due for review by 2030-06 (today is 2031-01-01); "
        "review it against its sources and set a later 'review_by'",
        f"{A}:8:11: warning: statement 's' says 'probably', a likelihood word outside the "
        "ICD 203 scale; keep the source's word and give 'likelihood' ('likely' if the quote "
        "supports it)",
    ]
    plain = run_check(root)
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.startswith("ok: ")
    assert sorted(plain.stderr.splitlines()) == lines
    strict = run_check(root, "--strict")
    assert strict.returncode == 1
    assert strict.stdout == ""
    assert strict.stderr.splitlines() == [
        lines[1],
        lines[0],
        "2 warnings or notices; --strict fails on them",
    ]
    github = run_check(root, "--format", "github")
    assert github.returncode == 0
    assert "::notice file=content/actors/iran.yaml,line=5,col=12," in github.stderr
    assert "::warning file=content/actors/iran.yaml,line=8,col=11," in github.stderr
    assert run_check(root, "--strict", today="2030-06-30").returncode == 1  # the warning
    assert run_check(root, today="not a date").stderr == (
        "BRIEFING_TODAY must be a date as YYYY-MM-DD (got 'not a date'); unset it for today\n"
    )


ESTIMATE = (
    '<span class="bf-estimate"><span class="bf-label">Likelihood:</span> likely; '
    '<span class="bf-label">Confidence:</span> moderate (ICD 203)</span>'
)


def test_likelihood_and_confidence_show_on_pages_and_in_pdfs(tmp_path: Path) -> None:
    from briefing.pdf import documents
    from briefing.pdf.layout import document_html
    from briefing.present.jinja import environment
    from briefing.web.render import render_pages

    sheet = actor(
        "Talks will likely fail, analysts judge.",
        LIKELY,
        "    likelihood: likely\n    confidence: moderate\n",
    )
    project = make_corpus(tmp_path, files_with({A: sheet}))
    checked = check(project)
    assert ESTIMATE in render_pages(project.templates, checked)["actors/iran.md"]
    assert (
        '<span class="bf-estimate">'
        not in render_pages(project.templates, checked)["actors/china.md"]
    )
    document = documents.actor_document(checked.corpus, checked.corpus.by_id["iran"])  # type: ignore[arg-type]
    assert ESTIMATE in document_html(environment(project.templates), document, None)


def test_an_inferred_date_shows_as_inferred(tmp_path: Path) -> None:
    from briefing.web.render import render_site_pages

    sheet = event('date: "2031"\n', "The talks resumed in 2030.", "date_inferred: A guess.\n")
    pages = render_site_pages(make_corpus(tmp_path, files_with({E: sheet})))
    inferred = '<span class="bf-label">Inferred:</span> A guess.'
    assert inferred in pages["events/talks.md"] and inferred in pages["timeline.md"]


@pytest.mark.parametrize(("command", "shown"), [("serve", True), ("build", False)])
def test_review_due_shows_in_the_live_preview_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, shown: bool
) -> None:
    from types import SimpleNamespace

    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from briefing.web.plugin import SitePages

    monkeypatch.setenv("BRIEFING_TODAY", "2031-01-01")
    project = make_corpus(tmp_path, files_with({A: REVIEWED}))
    config = load_config(str(project.root / "mkdocs.yml"))
    config.plugins._current_plugin = "briefing"  # as MkDocs sets it while running a plugin
    plugin = SitePages()
    plugin.on_startup(command=command, dirty=False)
    files = plugin.on_files(Files([]), config=config)
    pages = {f.src_uri: f for f in files if f.src_uri.endswith(".md")}
    marked = {
        uri: plugin.on_page_markdown(
            "body",
            page=SimpleNamespace(file=pages[uri]),
            config=config,
            files=files,  # type: ignore[arg-type]
        )
        for uri in ("actors/iran.md", "actors/china.md")
    }
    notice = '<p class="bf-review-due"><strong>Review due</strong> since 2030-06'
    assert (notice in marked["actors/iran.md"]) == shown
    assert notice not in marked["actors/china.md"]


_HEDGE_WORDS = ["according to", "apparently", "beliefs", "could", "May 5", "5 May", "may", "might"]
_HEDGE_WORDS += ["necessary", "ostensible", "seemingly", "undoubted", "would", "mayor", "x"]
# Letters the search's IGNORECASE folds to ASCII ones, and capitals: lower() must not be
# trusted with them.
_HEDGE_WORDS += ["ſeem", "MAY", "Could", "coulD", "İ", "\u212aould", "belİeve", "ACCORDING TO"]


@given(st.lists(st.sampled_from(_HEDGE_WORDS), max_size=8).map(" ".join))
def test_one_pass_finds_the_hedges_each_pattern_finds(text: str) -> None:
    # fidelity.hedges looks for every hedge in one regex pass; it must agree with a search
    # for each hedge's forms on its own.
    plain = fidelity._MONTH.sub(" ", text)
    each = {n for n, form in fidelity.HEDGES.items() if re.search(rf"\b{form}\b", plain, re.I)}
    assert fidelity.hedges(text) == each
