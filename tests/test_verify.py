"""Stage 4: quotes verified against the archived source text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.check import verify
from briefing.check.checker import check
from briefing.check.verify import normalise
from briefing.model.errors import ContentError
from tests.helpers import SOURCE_TEXT, make_corpus

A = "content/actors/iran.yaml"
SHEET = """\
id: iran
name: Iran
type: state
summary: A state.
statements:
  - id: s
    # The text keeps every hedge the quotes below hold, so only the quote is tested here.
    text: Officials believe it could be so.
    kind: reported
    source: article
    quote: {quote}
"""


@pytest.mark.parametrize(
    "quote",
    [
        "Trade between China and Russia reached a record $240 billion last year.",
        "reached a record $240 billion",
        "'Trade   between China\n      and Russia'",  # white space folded
        "“Ukrainian officials believe” the troops",  # curly quotes ignored at the ends
        "could puncture energy markets",
    ],
    ids=["whole sentence", "part", "white space", "quotes", "hedge"],
)
def test_quotes_found_after_normalising(tmp_path: Path, quote: str) -> None:
    text = "Ukrainian officials believe the troops are"
    source = "content/sources/article.txt"
    files = {A: SHEET.format(quote=quote)}
    if "Ukrainian" in quote:
        files[source] = f"{SOURCE_TEXT}“Ukrainian officials believe” the troops — {text}\n"
    check(make_corpus(tmp_path, files))


@pytest.mark.parametrize(
    ("quote", "closest"),
    [
        (
            "Trade between China and Russia reached a record $250 billion last year.",
            "Trade between China and Russia reached a record $240 billion last year.",
        ),
        ("officials believed the troops", "officials believe the troops"),
        (
            "A wider war in the Middle East will puncture",
            "A wider war in the Middle East could puncture",
        ),
    ],
    ids=["one digit", "one letter", "hedge removed"],
)
def test_near_misses_fail_at_the_quote_with_the_closest_passage(
    tmp_path: Path, quote: str, closest: str
) -> None:
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, {A: SHEET.format(quote=quote)}))
    assert [str(p) for p in raised.value.problems] == [
        f"{A}:11:12: quote not found in source 'article' (content/sources/article.txt); "
        f'closest passage: "{closest}"'
    ]


def test_missing_source_text_is_reported(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    (project.content / "sources" / "article.txt").unlink()
    with pytest.raises(ContentError) as raised:
        check(project)
    assert [str(p) for p in raised.value.problems] == [
        "content/sources/article.yaml:1:1: source text 'content/sources/article.txt' not found; "
        "archive the source's text beside the sheet under that name"
    ]


def test_each_source_is_checked_against_its_own_text_whatever_the_others_lack(
    tmp_path: Path,
) -> None:
    # In sheet order: a linked text (never read), the base corpus's article, a missing
    # text, then a text the quote below is in.
    source = "id: {0}\ntitle: {0}\nsummary: s\ntext: {0}.txt\n"
    project = make_corpus(
        tmp_path,
        {
            **{f"content/sources/{n}.yaml": source.format(n) for n in ("alpha", "beta", "gamma")},
            "content/sources/gamma.txt": "Only gamma says that the talks were postponed.\n",
            A: SHEET.replace("source: article", "source: gamma").format(
                quote="the talks were postponed"
            ),
        },
    )
    (project.content / "sources" / "alpha.txt").symlink_to(project.content / "sources/gamma.txt")
    with pytest.raises(ContentError) as raised:
        check(project)
    assert [str(p) for p in raised.value.problems] == [
        "content/sources/alpha.txt:1:1: symbolic links are not allowed in content/; "
        "put the file itself here",
        "content/sources/alpha.yaml:1:1: source text 'content/sources/alpha.txt' is a "
        "symbolic link; archive the text itself",
        "content/sources/beta.yaml:1:1: source text 'content/sources/beta.txt' not found; "
        "archive the source's text beside the sheet under that name",
    ]


def test_exclusions_are_verified_too(tmp_path: Path) -> None:
    sheet = (
        "id: article\ntitle: A\nsummary: s\ntext: article.txt\n"
        "excluded:\n  - quote: Not in the text.\n    reason: rhetoric\n"
    )
    with pytest.raises(ContentError) as raised:
        check(make_corpus(tmp_path, {"content/sources/article.yaml": sheet}))
    assert raised.value.problems[0].message.startswith("quote not found in source 'article'")


def test_normalise_folds_typography_only() -> None:
    assert normalise("“It’s  rickety—and\n it depends”…") == '"It\'s rickety-and it depends"...'
    assert normalise("Could") != normalise("could")


def test_normalise_folds_exactly_what_the_regex_rule_folds() -> None:
    # normalise splits on str.isspace and skips ASCII text for typography; the rule it
    # implements is: typographic characters replaced, then every run of \s as one space.
    space = re.compile(r"\s+")
    assert [c for c in map(chr, range(0x110000)) if space.fullmatch(c)] == [
        c for c in map(chr, range(0x110000)) if c.isspace()
    ]
    samples = [
        "",
        " ",
        "a\u2028b\x1c c\u00a0 d ",
        "\u201cIt\u2019s\u201d\t\u2014\u2026",
        "x\r\n\r\ny",
    ]
    for text in samples + [chr(n) + "a  b" + chr(n) for n in range(0x3000)]:
        rule = space.sub(" ", text.translate(verify._TYPOGRAPHY)).strip()
        assert normalise(text) == rule, repr(text)
