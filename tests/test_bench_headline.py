"""The headline benchmark's corpus changes: content/ grown by copies, one statement edited."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefing.bench import synthetic
from briefing.bench.copies import grow
from briefing.bench.headline import edit_statement
from briefing.bench.run import make_project
from briefing.check.checker import check
from tests.helpers import make_corpus
from tests.small_corpus import EXTRA


def test_copies_of_real_sheets_pass_check_under_new_ids(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    source = make_corpus(tmp_path / "source", EXTRA)
    project = make_project(tmp_path / "grown")
    written = grow(source.content, project.content, 3)
    sheets = check(source).corpus.sheets
    grown = check(project).corpus  # references follow the copies: no problem reported
    assert written == len(grown.sheets) == 3 * len(sheets)
    ids = {s.id for s in sheets}
    assert {s.id for s in grown.sheets} == ids | {f"{i}-{n}" for i in ids for n in (2, 3)}
    brief = grown.by_id["brief-3"]
    assert [r.target for r in brief.key_judgments] == ["china-3#trade"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("cited", [False, True])
def test_one_statement_edited_cited_by_a_briefing_or_not(tmp_path: Path, cited: bool) -> None:
    project = make_project(tmp_path)
    synthetic.generate(project.content, 100, 0)
    before = check(project).corpus
    target = edit_statement(project.content, cited, 7)
    after = check(project).corpus
    cites = {
        r.target
        for b in after.of_kind("briefing")
        for r in [*b.key_judgments, *(r for s in b.sections for r in s.refs)]  # type: ignore[attr-defined]
    }
    assert (target in cites) == cited
    assert after.statement(target).text.value.endswith("Edited for the benchmark (7).")
    changed = [
        f"{s.id}#{st.id}"
        for s in after.sheets
        for st in s.statements
        if st.text != before.statement(f"{s.id}#{st.id}").text
    ]
    assert changed == [target]
    assert yaml.safe_load((project.content / "actors" / f"{target.split('#')[0]}.yaml").read_text())
