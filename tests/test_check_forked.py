"""A large corpus's check shares what follows linking with a forked worker (verify here,
the rules over the corpus there): it gives what one process gives, warnings, review
notices and every kind of problem alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.bench import synthetic
from briefing.check import checker
from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model.errors import ContentError
from briefing.project import Project
from tests.helpers import make_corpus


def outcome(project: Project, workers: int) -> Checked | list[str]:
    try:
        return check(project, workers)
    except ContentError as error:
        return [str(problem) for problem in error.problems]


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("damage", ["none", "restatement", "quote", "reference"])
def test_shared_after_linking_gives_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    project = make_corpus(tmp_path, base=False)
    synthetic.generate(project.content, 60, seed=5)
    actor = sorted((project.content / "actors").glob("*.yaml"))[0]
    append(actor, "review_by: 2001-01\n")  # a review notice
    if damage == "restatement":
        text = actor.read_text(encoding="utf-8")
        actor.write_text(text.replace("summary: ", "summary: Zanzibar says "), encoding="utf-8")
    if damage == "quote":
        text = actor.read_text(encoding="utf-8")
        actor.write_text(text.replace("quote: ", "quote: Never said ", 1), encoding="utf-8")
    if damage == "reference":
        text = actor.read_text(encoding="utf-8")
        actor.write_text(text.replace("summary: ", "summary: See [[nowhere]]. "), encoding="utf-8")
    alone = outcome(project, 1)
    monkeypatch.setattr(checker, "PARALLEL_FROM", 1)
    shared_out = outcome(project, 2)
    assert shared_out == alone
    if damage == "none":
        assert isinstance(alone, Checked) and alone.notices
    else:
        assert isinstance(alone, list) and alone
