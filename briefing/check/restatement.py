"""Restatement: summaries, roles and bottom lines say only what statements say.

A sheet's 'summary', an actor's 'role' and a briefing's 'bluf' restate statements; they do
not add to them. check tests what can be tested without reading for meaning: every number
of two or more digits ('240', '2.5', a year) and every capitalised word (a name, a term) in
such a text must occur in what supports it, which is:
- the statements of the same sheet (their text, quote and attribution); for an actor, also
  those of the relations and events it is one of the actors of (its page shows them), and for
  a source, every statement that cites it;
- the statements it cites: a [[sheet#statement]] link cites that statement, a [[sheet]]
  link every statement of that sheet, and a briefing also cites its key judgments and the
  sheets and statements its sections refer to;
- the names (title, aliases) of the sheet itself, of the sheets it links to and, for a
  relation or an event, of its actors.
A word of four letters or more may occur in another form of its stem (its first letters
but the last three, at least four: 'European' supports 'Europe', 'China' 'Chinese'). A word
at the start of a sentence is not tested (it is capitalised as a sentence's first word), nor
a link's label ('[[russia|Moscow]]' names the sheet it links to); 'I' and a
possessive's "'s" are ignored. A word that fails names what to do: cite the
statement that says it, or remove it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefing.check.link import LINK, Corpus
from briefing.model import records
from briefing.model.errors import Problem

# A whole word with its first letter capitalised (apostrophes and hyphens inside), or a whole
# number ('1,200', '2.5', '12:30'); not a part of a word ('0x1F', 'base64').
_WORD = re.compile(r"(?<![\w’'-])(?:[A-Z][\w’'-]*\w|[A-Z]|\d+(?:[.,:]\d+)*)(?![\w’'-])")
_DIGIT = re.compile(r"\d")
# Where a sentence starts: the text's start, or after . ! ? : ; and white space, with any
# opening quote, bracket or markup ('<b>') before its first word.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+)\S*$")
_POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")


def restated_texts(sheet: records.Sheet) -> Iterator[tuple[str, records.Text]]:
    """The texts of a sheet that restate statements, each with its field's name."""
    yield "summary", sheet.summary
    if isinstance(sheet, records.Actor) and sheet.role is not None:
        yield "role", sheet.role
    if isinstance(sheet, records.Briefing):
        yield "bluf", sheet.bluf


def _names(sheet: records.Sheet) -> list[str]:
    aliases = list(getattr(sheet, "aliases", ())) + list(getattr(sheet, "editorial_aliases", ()))
    return [sheet.title, *aliases]


def _statement_words(statement: records.Statement) -> list[str]:
    who = statement.attributed_to.value if statement.attributed_to else ""
    return [statement.text.value, statement.quote.value, who]


def support(corpus: Corpus, sheet: records.Sheet, text: records.Text) -> str:
    """Everything the text may restate (see the module's docstring), as one string."""
    parts = _names(sheet)
    own = list(sheet.statements)
    if isinstance(sheet, records.Actor):
        for kind in ("relation", "event"):
            own += [st for other in corpus.involving(kind, sheet.id) for st in other.statements]
    if isinstance(sheet, records.Source):
        own += [statement for _, statement in corpus.citing(sheet.id)]
    for statement in own:
        parts.extend(_statement_words(statement))
    for actor in getattr(sheet, "actors", ()):
        if actor.target in corpus.by_id:
            parts.extend(_names(corpus.by_id[actor.target]))
    targets = [m.group(1).strip() for m in LINK.finditer(text.value)]
    if isinstance(sheet, records.Briefing):
        targets += [ref.target for ref in sheet.key_judgments]
        targets += [ref.target for section in sheet.sections for ref in section.refs]
    for target in targets:
        sheet_id, _, statement_id = target.partition("#")
        cited = corpus.by_id.get(sheet_id)
        if cited is None:
            continue  # the link stage reports it
        parts.extend(_names(cited))
        for statement in cited.statements:
            if not statement_id or statement.id == statement_id:
                parts.extend(_statement_words(statement))
    return " ".join(parts).replace("’", "'")


def words(text: str) -> Iterator[str]:
    """The numbers and capitalised words of a text that are not a sentence's first word,
    or in a link (a link's label names the sheet it links to, which the link resolves)."""
    plain = LINK.sub("link", text)
    for match in _WORD.finditer(plain):
        if _SENTENCE_START.search(plain[: match.start()]) or match.group() == "I":
            continue
        if match.group()[0].isdigit() and len(_DIGIT.findall(match.group())) < 2:
            continue  # a single digit: a count or a list's number more often than a figure
        yield _POSSESSIVE.sub("", match.group()).replace("’", "'")


def said(word: str, supported: str) -> bool:
    """Whether supported says word: a number or a short word as a whole word; a longer word
    also in another form of its stem ('Europe' for 'European', 'Chinese' for 'China')."""
    if word[0].isdigit() or len(word) < 4:
        pattern = rf"(?<![\w-]){re.escape(word)}(?![\w-])"
    else:
        pattern = rf"(?<![\w-]){re.escape(word[: max(4, len(word) - 3)])}"
    return re.search(pattern, supported, re.IGNORECASE) is not None


def unsupported(corpus: Corpus) -> list[Problem]:
    """A problem for each restating text with a word that nothing it may restate says."""
    problems = []
    for sheet in corpus.sheets:
        for field, text in restated_texts(sheet):
            supported = support(corpus, sheet, text)
            for word in words(text.value):
                if not said(word, supported):
                    problems.append(
                        Problem(
                            text.loc,
                            f"'{field}' says '{word}', which no statement of this sheet or "
                            f"cited by it says; a {field} restates statements: cite the "
                            "statement that says it, or leave the word out",
                        )
                    )
                    break  # one word per text: the editor rereads the whole text anyway
    return problems
