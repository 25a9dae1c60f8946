"""Coverage: sentence splitting, the covered/uncovered/excluded rule, the report and the CLI."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import cli
from briefing.check.checker import check
from briefing.check.coverage import (
    MIN_SHARE,
    Sentence,
    SourceCoverage,
    _LetterCount,
    coverage,
    is_covered,
    percent_label,
    report,
    split_line,
    split_sentences,
)
from briefing.project import Project
from tests.helpers import ROOT, make_corpus

SPLITS = [
    (
        "a title line is a sentence without a stop",
        "A title without a stop\nBody one. Body two.\n",
        ["A title without a stop", "Body one.", "Body two."],
    ),
    (
        "U.S. before a capital does not split",
        "U.S. Defense Secretary Lloyd Austin said so. It was late.",
        ["U.S. Defense Secretary Lloyd Austin said so.", "It was late."],
    ),
    (
        "U.S. before a lowercase word does not split",
        "They replace the U.S. dollar. China buys oil.",
        ["They replace the U.S. dollar.", "China buys oil."],
    ),
    (
        "U.S. after a sentence",
        "A case can be made. The U.S. has sanctioned Russia.",
        ["A case can be made.", "The U.S. has sanctioned Russia."],
    ),
    (
        "according to U.S. officials",
        "According to U.S. officials, China supplies parts. Then more.",
        ["According to U.S. officials, China supplies parts.", "Then more."],
    ),
    ("question and exclamation marks", "Is it? Yes! No.", ["Is it?", "Yes!", "No."]),
    (
        "closing quote after the stop",
        'He said "stop." Then he left.',
        ['He said "stop."', "Then he left."],
    ),
    (
        "titles are abbreviations",
        "Gen. Smith spoke. Mr. Jones left.",
        ["Gen. Smith spoke.", "Mr. Jones left."],
    ),
    ("an initial", "John F. Kennedy spoke. He left.", ["John F. Kennedy spoke.", "He left."]),
    (
        "ellipsis before a lowercase word",
        "Wait\u2026 what happened? Nothing.",
        ["Wait... what happened?", "Nothing."],
    ),
    (
        "typography is normalised",
        "It\u2019s rickety\u2014and it depends.",
        ["It's rickety-and it depends."],
    ),
    ("a decimal number", "Growth was 3.5 percent. Fine.", ["Growth was 3.5 percent.", "Fine."]),
    ("blank lines and dashes are no sentences", "One.\n\n\u2014\nTwo.", ["One.", "Two."]),
    ("no stop at the end", "One. Two", ["One.", "Two"]),
]


@pytest.mark.parametrize(("text", "expected"), [s[1:] for s in SPLITS], ids=[s[0] for s in SPLITS])
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_sentences_know_their_line_and_place() -> None:
    sentences = split_sentences("Title?\n\nOne.  Two.\n")
    assert [(s.number, s.line, s.text, s.start, s.end) for s in sentences] == [
        (1, 1, "Title?", 0, 6),
        (2, 3, "One.", 7, 11),
        (3, 3, "Two.", 12, 16),
    ]


def test_split_line_keeps_a_lone_line_whole() -> None:
    assert split_line("no stop at all") == ["no stop at all"]


TEXT = (
    "Troops are in Russia. Is that wise?\n"
    "Trade reached a record $240 billion last year.\n"
    "China buys nearly all of Iran\u2019s oil exports, and accounts for 90 percent of "
    "North Korea\u2019s foreign trade.\n"
    "Xi is apparently willing to accept the result.\n"
)
S3 = "Trade reached a record $240 billion last year."
S4 = (
    "China buys nearly all of Iran's oil exports, and accounts for 90 percent of "
    "North Korea's foreign trade."
)


def quoted_corpus(tmp_path: Path, quotes: list[str], excluded: Sequence[str] = ()) -> Project:
    """A project whose one source is TEXT, with a statement per quote and the exclusions."""
    lines = ["id: article", "title: An article", "summary: A test source.", "text: article.txt"]
    if excluded:
        lines.append("excluded:")
        lines += [f'  - {{quote: "{q}", reason: a rhetorical question}}' for q in excluded]
    statements = "".join(
        f"  - id: s{n}\n    text: A claim.\n    kind: reported\n    source: article\n"
        f'    quote: "{quote}"\n'
        for n, quote in enumerate(quotes)
    )
    actor = "id: china\nname: China\ntype: state\nsummary: A state.\n"
    files = {
        "content/sources/article.txt": TEXT,
        "content/sources/article.yaml": "\n".join(lines) + "\n",
        "content/actors/china.yaml": actor + ("statements:\n" + statements if quotes else ""),
    }
    return make_corpus(tmp_path, files, base=False)


def measure(tmp_path: Path, quotes: list[str], excluded: Sequence[str] = ()) -> SourceCoverage:
    (result,) = coverage(check(quoted_corpus(tmp_path, quotes, excluded)))
    return result


CASES = [
    ("nothing quoted", [], [], [1, 2, 3, 4, 5], [], "0.0%"),
    ("a whole sentence", [S3], [], [1, 2, 4, 5], [], "20.0%"),
    ("without its full stop", [S3.rstrip(".")], [], [1, 2, 4, 5], [], "20.0%"),
    (
        "typography and spacing do not matter",
        [S4.replace(" ", "  ")],
        [],
        [1, 2, 3, 5],
        [],
        "20.0%",
    ),
    ("one word covers nothing", ["Russia"], [], [1, 2, 3, 4, 5], [], "0.0%"),
    (
        "most of a sentence, without the period of its figure, is not enough",
        ["Trade reached a record $240 billion"],
        [],
        [1, 2, 3, 4, 5],
        [],
        "0.0%",
    ),
    (
        "leaving out the hedge leaves it uncovered",
        ["willing to accept the result."],
        [],
        [1, 2, 3, 4, 5],
        [],
        "0.0%",
    ),
    (
        "a piece under a quarter does not count",
        ["Xi is", "willing to accept the result."],
        [],
        [1, 2, 3, 4, 5],
        [],
        "0.0%",
    ),
    (
        "two quotes that each hold a quarter cover together",
        [
            "China buys nearly all of Iran's oil exports",
            "and accounts for 90 percent of North Korea's foreign trade",
        ],
        [],
        [1, 2, 3, 5],
        [],
        "20.0%",
    ),
    (
        "a quote across two sentences covers both",
        ["Troops are in Russia. Is that wise?"],
        [],
        [3, 4, 5],
        [],
        "40.0%",
    ),
    ("an exclusion leaves the denominator", [S3], ["Is that wise?"], [1, 4, 5], [2], "25.0%"),
    (
        "an exclusion of part of a sentence excludes nothing",
        [S3],
        ["Is that"],
        [1, 2, 4, 5],
        [],
        "20.0%",
    ),
    (
        "a third is rounded down",
        [S3],
        ["Troops are in Russia. Is that wise?"],
        [4, 5],
        [1, 2],
        "33.3%",
    ),
]


@pytest.mark.parametrize(
    ("quotes", "excluded", "uncovered", "excluded_numbers", "percent"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_coverage_rule(
    tmp_path: Path,
    quotes: list[str],
    excluded: list[str],
    uncovered: list[int],
    excluded_numbers: list[int],
    percent: str,
) -> None:
    result = measure(tmp_path, quotes, excluded)
    assert [s.number for s in result.uncovered] == uncovered
    assert [s.number for e in result.excluded for s in e.sentences] == excluded_numbers
    assert percent_label(result.percent) == percent


@pytest.mark.parametrize(
    ("value", "label"), [(200 / 3, "66.6%"), (99.96, "99.9%"), (100.0, "100.0%"), (0.0, "0.0%")]
)
def test_percent_label_rounds_down(value: float, label: str) -> None:
    assert percent_label(value) == label


def test_below_compares_exactly(tmp_path: Path) -> None:
    result = measure(tmp_path, ["Troops are in Russia. Is that wise?", S3])  # 3 of 5
    assert (result.covered, result.counted) == (3, 5)
    assert not result.below(60)
    assert result.below(60.1)


def test_nothing_left_to_cover_is_complete(tmp_path: Path) -> None:
    everything = TEXT.replace("\u2019", "'").replace("\n", " ").strip()
    result = measure(tmp_path, [], [everything])
    assert (result.excluded_count, result.counted, result.percent) == (5, 0, 100.0)


def test_report_lists_gaps_exclusions_and_totals(tmp_path: Path) -> None:
    result = measure(tmp_path, ["Troops are in Russia.", S4], ["Is that wise?", "Is that"])
    path = "content/sources/article.txt"
    assert report([result]) == [
        "article: 2 of 4 sentences covered (50.0%), 1 excluded",
        f'  {path}:2: not covered: "{S3}"',
        f'  {path}:4: not covered: "Xi is apparently willing to accept the result."',
        f'  {path}:1: excluded (a rhetorical question): "Is that wise?"',
        "  content/sources/article.yaml:7:13: exclusion holds no whole sentence, so it "
        "excludes nothing; quote the whole sentence",
        "total: 2 of 4 sentences covered (50.0%) in 1 source",
    ]


def run(project: Project, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["--root", str(project.root), "coverage", *args])
    out, err = capsys.readouterr()
    return code, out, err


BASE_REPORT = """\
article: 1 of 3 sentences covered (33.3%), 0 excluded
  content/sources/article.txt:2: not covered: "Ukrainian officials believe the troops are preparing to join the invading forces."
  content/sources/article.txt:3: not covered: "A wider war in the Middle East could puncture energy markets."
total: 1 of 3 sentences covered (33.3%) in 1 source
"""


def test_cli_prints_the_report_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(make_corpus(tmp_path), capsys=capsys) == (0, BASE_REPORT, "")


@pytest.mark.parametrize(
    ("threshold", "code", "err"),
    [
        ("33.3", 0, ""),
        ("34", 1, "coverage of 'article' is 33.3%, under --fail-under 34\n"),
        ("100", 1, "coverage of 'article' is 33.3%, under --fail-under 100\n"),
    ],
)
def test_cli_fail_under(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], threshold: str, code: int, err: str
) -> None:
    assert run(make_corpus(tmp_path), "--fail-under", threshold, capsys=capsys) == (
        code,
        BASE_REPORT,
        err,
    )


def test_cli_reports_content_problems_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_corpus(tmp_path, {"content/actors/russia.yaml": "id: russia\nname: Russia\n"})
    code, out, err = run(project, capsys=capsys)
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "2 problems found; nothing was built"


def test_cli_as_a_script(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    done = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(project.root), "coverage"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, BASE_REPORT, "")


def _covered_by_listing_letters(
    text: str, sentence: Sentence, spans: list[tuple[int, int]]
) -> bool:
    """The rule as the module docstring states it, letter by letter (slow, plain)."""
    letters = [i for i in range(sentence.start, sentence.end) if text[i].isalnum()]
    held: set[int] = set()
    for start, end in spans:
        inside = [i for i in letters if start <= i < end]
        if len(inside) >= MIN_SHARE * len(letters):
            held.update(inside)
    return len(held) == len(letters)


@settings(max_examples=500, deadline=None)
@given(data=st.data(), text=st.text(alphabet="ab1 .é-", min_size=1, max_size=30))
def test_covered_agrees_with_the_rule_letter_by_letter(data: st.DataObject, text: str) -> None:
    offset = st.integers(0, len(text))
    start, end = sorted(data.draw(st.tuples(offset, offset)))
    sentence = Sentence(1, 1, text[start:end], start, end)
    pairs = data.draw(st.lists(st.tuples(offset, offset), max_size=5))
    spans = [(min(pair), max(pair)) for pair in pairs]
    assert is_covered(_LetterCount(text), sentence, spans) == _covered_by_listing_letters(
        text, sentence, spans
    )


@pytest.mark.parametrize(
    ("text", "spans", "covered"),
    [
        ("abcd", [(0, 1), (1, 4)], True),  # 'a' is a quarter of the sentence: it counts
        ("abcde", [(0, 1), (1, 5)], False),  # 'a' is a fifth: it does not, so 'a' is unheld
        ("ab cd", [(0, 3), (2, 5)], True),  # overlapping spans
        ("ab cd", [(3, 5), (0, 2)], True),  # in any order
        ("ab-cd", [(0, 2), (3, 5)], True),  # a gap without letters or digits
        ("ab1cd", [(0, 2), (3, 5)], False),  # a digit in the gap
    ],
)
def test_covered_at_the_edges(text: str, spans: list[tuple[int, int]], covered: bool) -> None:
    sentence = Sentence(1, 1, text, 0, len(text))
    assert is_covered(_LetterCount(text), sentence, spans) is covered
