"""The live preview's memo of loaded sheets (briefing.check.memo): a check that reuses it
gives exactly what a fresh check of the same files gives, through edits, additions,
deletions, broken sheets and vocabulary changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefing.check import checker
from briefing.check.checker import check
from briefing.check.memo import SheetMemo
from briefing.check.verify import Checked
from briefing.model.errors import ContentError
from briefing.project import Project
from tests.helpers import make_corpus, write_files

VOCABULARY = """\
    relation_types:
      - id: trade
        label: trade
        description: Trade.
    """


def outcome(
    project: Project, memo: SheetMemo | None, workers: int = 1
) -> Checked | tuple[str, ...]:
    """The checked corpus, or the messages of the problems found."""
    try:
        return check(project, workers, memo=memo)
    except ContentError as error:
        return tuple(str(problem) for problem in error.problems)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_memo_gives_what_a_fresh_check_gives_save_after_save(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    actors = project.content / "actors"
    sheet = next(iter(sorted(actors.glob("*.yaml"))))
    memo = SheetMemo()
    extra = actors / "extra.yaml"
    saves = [
        lambda: None,  # nothing changed: every file from the memo
        lambda: replace(sheet, "summary: ", "summary: Edited. "),
        lambda: extra.write_text(
            sheet.read_text(encoding="utf-8").replace(f"id: {sheet.stem}", "id: extra"),
            encoding="utf-8",
        ),
        lambda: replace(extra, "summary:", "summary: [[nowhere]]"),  # a broken reference
        lambda: replace(extra, "summary:", "summary: : :\n  - x"),  # broken YAML
        lambda: extra.unlink(),
        lambda: write_files(
            project.root,
            {"content/vocabulary.yaml": VOCABULARY},
        ),
        lambda: (project.content / "vocabulary.yaml").unlink(),
        # A sheet moved to another kind's folder: same file name, other kind.
        lambda: shutil.move(str(sheet), str(project.content / "events" / sheet.name)),
    ]
    (project.content / "events").mkdir(exist_ok=True)
    outcome(project, memo)
    reads = []
    for save in saves:
        save()
        remembered = outcome(project, memo)
        reads.append(memo.read)
        assert remembered == outcome(project, None)
    assert reads[0] == 0  # an unchanged corpus is not read again
    assert reads[1] == 1  # one save, one file read


def test_a_memo_is_forgotten_when_the_vocabulary_changes(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    memo = SheetMemo()
    check(project, memo=memo)
    write_files(
        project.root,
        {"content/vocabulary.yaml": VOCABULARY},
    )
    check(project, memo=memo)
    assert memo.read == len(list(project.content.glob("*/*.yaml")))


@pytest.mark.parametrize(
    "broken",
    [None, "summary: : :\n  - x", "summary: See [[nowhere]].", "summary:\n  summary: twice"],
    ids=["sound", "broken YAML", "a broken reference", "invalid"],
)
def test_an_empty_memo_filled_by_forked_workers_holds_what_one_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str | None
) -> None:
    """The build's first check with memos (briefing.web.between_builds) loads in parallel."""
    monkeypatch.setattr(checker, "PARALLEL_FROM", 1)
    project = make_corpus(tmp_path)
    if broken is not None:
        replace(next(iter(sorted((project.content / "actors").glob("*.yaml")))), "summary:", broken)
    fresh = outcome(project, None)
    shared, alone = SheetMemo(), SheetMemo()
    assert outcome(project, shared, workers=2) == fresh
    assert outcome(project, alone) == fresh
    assert shared.files == alone.files
    assert shared.read == alone.read == len(list(project.content.glob("*/*.yaml")))
    assert outcome(project, shared, workers=2) == fresh
    assert shared.read == 0  # filled: nothing read again
