"""The orchestrator: check gives the same records and problems in one process or several."""

from __future__ import annotations

import contextlib
import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from briefing import pipeline
from briefing.bench import synthetic
from briefing.check import checker
from briefing.check.checker import check
from briefing.check.verify import Checked
from briefing.model.errors import ContentError
from briefing.pipeline import PdfOptions, build_site
from tests.helpers import make_corpus

BROKEN = {
    "content/actors/iran.yaml": "id: iran\nname: Iran\nname: Persia\ntype: state\nsummary: s\n",
    "content/actors/syria.yaml": "id: syria\nname: Syria\ntype: stat\nsummary: Ally of [[rusia]].\n",
    "content/actors/cuba.yaml": 'id: cuba\nname: Cuba\ntype: state\nsummary: "unclosed\n',
    "content/actors/laos.yaml": "id: lao\nname: Laos\ntype: state\nsummary: s\n",
    "content/events/talks.yaml": "id: talks\ntitle: Talks\ndate: 2024-13\nsummary: s\n",
}


def test_a_large_corpus_is_checked_the_same_in_several_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, base=False)
    synthetic.generate(project.content, 120, seed=3)
    alone = check(project)
    monkeypatch.setattr(checker, "PARALLEL_FROM", 1)
    shared_out = check(project, workers=2)
    assert shared_out.corpus.sheets == alone.corpus.sheets  # same records, same order
    assert shared_out.texts == alone.texts


def test_problems_are_the_same_in_several_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path, BROKEN)
    with pytest.raises(ContentError) as alone:
        check(project)
    monkeypatch.setattr(checker, "PARALLEL_FROM", 1)
    for workers in (2, 3):
        with pytest.raises(ContentError) as shared_out:
            check(project, workers=workers)
        assert [str(p) for p in shared_out.value.problems] == [str(p) for p in alone.value.problems]
    assert [str(p) for p in alone.value.problems] == [
        "content/actors/cuba.yaml:5:1: YAML syntax error: found unexpected end of stream "
        "(a quote or bracket is opened and never closed)",
        "content/actors/iran.yaml:3:1: duplicate key 'name' (first at line 2, col 1); "
        "keep one of them",
        "content/actors/laos.yaml:1:5: id 'lao' does not match the file name 'laos.yaml'; "
        "rename the file or change the id",
        "content/actors/syria.yaml:3:7: 'type' must be one of state, person, organization, "
        "group (got 'stat') (did you mean 'state'?)",
        "content/events/talks.yaml:3:7: 'date' is not a real date (month must be in 1..12) "
        "(got '2024-13')",
    ]


# Run by MkDocs at the end of its build: waits (up to a minute) for a PDF to appear in the
# folder the PDFs are laid out in beside the staging one, and records whether one did.
WAITING_HOOK = """
import os, time
from pathlib import Path
def on_post_build(config):
    staging = Path(config.site_dir)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if list(staging.parent.glob(staging.name + "-pdf-*/**/*.pdf")):
            Path(os.environ["BRIEFING_TEST_MARK"]).write_text("laid out during the build")
            return
        time.sleep(0.05)
"""


def test_pdfs_are_laid_out_while_the_engine_builds_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    (project.root / "waiting_hook.py").write_text(WAITING_HOOK)
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - waiting_hook.py\n"))
    mark = tmp_path / "mark"
    monkeypatch.setenv("BRIEFING_TEST_MARK", str(mark))
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    built = build_site(project, project.root / "site", PdfOptions())
    assert mark.read_text() == "laid out during the build"  # not after the engine ended
    assert built.pdfs >= 1
    assert sorted(p.name for p in (project.root / "site" / "pdf").rglob("*.pdf"))
    assert not list(tmp_path.rglob(".site-build-*"))  # the PDFs' folder is gone too


@pytest.mark.parametrize("broken", [False, True])
def test_the_inspections_workers_are_forked_before_the_check_and_always_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: bool
) -> None:
    """Forked first, while the process is small (briefing.forked.WorkerPool); stopped when
    the build ends, even when the check fails and the inspection never starts."""
    project = make_corpus(tmp_path, BROKEN if broken else None)
    monkeypatch.setattr(pipeline, "default_workers", lambda pages: 2)  # as for a large site
    children_at_check = []

    def checking(*args: Any, **kwargs: Any) -> Checked:
        children_at_check.append(len(multiprocessing.active_children()))
        return check(*args, **kwargs)

    monkeypatch.setattr(pipeline, "check", checking)
    with pytest.raises(ContentError) if broken else contextlib.nullcontext():
        build_site(project, project.root / "site")
    assert children_at_check == [2]
    assert multiprocessing.active_children() == []
    assert (project.root / "site" / "index.html").is_file() != broken
