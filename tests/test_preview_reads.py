"""The live preview's memos (briefing.check.reads): after each save, the pages and data files
made from what earlier saves remembered equal those of a process that remembers nothing."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from briefing.bench import synthetic
from briefing.check.checker import check
from briefing.check.link import Corpus
from briefing.check.memo import SheetMemo
from briefing.check.reads import Changes, Inputs, ReadingCorpus, reading
from briefing.data import annotations, facts
from briefing.data.publish import data_files
from briefing.model import records
from briefing.pdf.cache import CACHE_ENV
from briefing.project import Project
from briefing.web import between_builds
from briefing.web.render import RenderMemo, render_pages
from tests.helpers import make_corpus


@pytest.fixture
def forgetful(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Each test starts with the data memos of a new process."""
    monkeypatch.setattr(annotations, "REMEMBERED", annotations._Remembered())
    monkeypatch.setattr(facts, "REMEMBERED", facts._Fragments())
    yield monkeypatch


def fresh(project: Project, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, str], ...]:
    """Pages and data files as a new process makes them (nothing remembered)."""
    kept = annotations.REMEMBERED, facts.REMEMBERED
    monkeypatch.setattr(annotations, "REMEMBERED", annotations._Remembered())
    monkeypatch.setattr(facts, "REMEMBERED", facts._Fragments())
    try:
        checked = check(project)
        written = {
            facts.FACTS: facts.dumps_content(facts.facts(checked)),
            annotations.ANNOTATIONS: facts.dumps_content(annotations.collection(checked)),
        }
        return render_pages(project.templates, checked), written
    finally:
        annotations.REMEMBERED, facts.REMEMBERED = kept


class Preview:
    """A project checked and rendered as the preview server does, save after save; or, across
    builds, as each new `briefing build` process does (the memos of sheets and pages kept on
    disk by the build before: briefing.web.between_builds)."""

    def __init__(
        self, project: Project, monkeypatch: pytest.MonkeyPatch, across_builds: bool = False
    ) -> None:
        self.project, self.monkeypatch, self.across_builds = project, monkeypatch, across_builds
        self.sheets, self.pages = SheetMemo(), RenderMemo()

    def save(self) -> dict[str, str]:
        """Rebuild after a save; assert it equals a fresh build; the pages."""
        if self.across_builds:  # a new process: nothing remembered but what was kept
            self.monkeypatch.setattr(annotations, "REMEMBERED", annotations._Remembered())
            self.monkeypatch.setattr(facts, "REMEMBERED", facts._Fragments())
            memos = between_builds.recall(self.project)
            assert memos is not None
            self.sheets, self.pages = memos.sheets, memos.render
        checked = check(self.project, memo=self.sheets)
        pages = render_pages(self.project.templates, checked, memo=self.pages)
        if self.across_builds:
            between_builds.keep(self.project, memos, len(checked.corpus.sheets))
        written = data_files(checked)
        fresh_pages, fresh_written = fresh(self.project, self.monkeypatch)
        assert list(pages) == list(fresh_pages)
        stale = [path for path in pages if pages[path] != fresh_pages[path]]
        assert stale == []
        for path, text in fresh_written.items():
            assert written[path] == text, path
        return pages


def rewrite(path: Path, change: object) -> None:
    """Load a sheet, let change edit its data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def renamed(content: Path, old: str, new: str) -> None:
    """Give a sheet a new id: its file, its id and every reference to it."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(old)}(?![\w-])")
    for path in content.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            path.write_text(pattern.sub(new, text), encoding="utf-8")
    (source,) = content.glob(f"*/{old}.yaml")
    source.rename(source.with_name(f"{new}.yaml"))


@pytest.mark.parametrize("across_builds", [False, True], ids=["one process", "across builds"])
def test_saves_that_change_other_pages_serve_what_a_fresh_build_does(
    tmp_path: Path, forgetful: pytest.MonkeyPatch, across_builds: bool
) -> None:
    project = make_corpus(tmp_path, base=False)
    synthetic.generate(project.content, 60, 3)
    forgetful.setenv(CACHE_ENV, str(tmp_path / "cache"))
    preview = Preview(project, forgetful, across_builds)
    first = preview.save()
    everything = preview.pages.computed
    assert everything == len(first)
    checked = check(project)
    corpus = checked.corpus
    relation = next(s for s in corpus.of_kind("relation") if isinstance(s, records.Relation))
    actor_id = relation.actors[0].target
    actor = project.content / "actors" / f"{actor_id}.yaml"

    # A summary edited: only the pages that show it are made again, not every page.
    quiet = min(corpus.of_kind("actor"), key=lambda s: (len(corpus.backlinks.get(s.id, ())), s.id))
    quiet_file = project.content / "actors" / f"{quiet.id}.yaml"
    rewrite(quiet_file, lambda data: data.update(summary="Edited for the test."))
    preview.save()
    assert 0 < preview.pages.computed < everything / 3
    assert facts.REMEMBERED.made == (len(corpus.sheets) if across_builds else 1)

    # Its name changed: every page that links to it shows the new name.
    rewrite(actor, lambda data: data.update(name="Renamed Actor"))
    pages = preview.save()
    shown = [path for path, text in pages.items() if "Renamed Actor" in text]
    assert any(path.startswith("relations/") for path in shown)

    # A new relation between two actors that had none: both actors' pages list it.
    unrelated = [
        (one.id, other.id)
        for one in corpus.of_kind("actor")
        for other in corpus.of_kind("actor")
        if one.id < other.id
        and not set(corpus.involving("relation", one.id))
        & set(corpus.involving("relation", other.id))
    ]
    one, other = unrelated[0]
    added = project.content / "relations" / "tie-for-the-test.yaml"
    added.write_text(
        (project.content / "relations" / f"{relation.id}.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    rewrite(added, lambda data: data.update(id="tie-for-the-test", actors=[one, other]))
    pages = preview.save()
    assert "tie-for-the-test" in pages[f"actors/{one}.md"]

    # The actor renamed (its id, file and every reference), then the new relation deleted.
    renamed(project.content, actor_id, "renamed-for-the-test")
    preview.save()
    added.unlink()
    preview.save()

    # An event dated elsewhere: the timeline and the events before and after it move.
    events = [e for e in corpus.events if e.date is not None]
    moved = project.content / "events" / f"{events[0].id}.yaml"
    rewrite(moved, lambda data: data.update(date=events[-1].date.value if events[-1].date else ""))
    preview.save()

    # A statement's text, shown on the page of the source it cites.
    cited = next(s for s in corpus.of_kind("actor") if s.statements and s.id != actor_id)

    def retext(data: dict[str, list[dict[str, str]]]) -> None:
        data["statements"][0]["text"] = data["statements"][0]["quote"]

    rewrite(project.content / "actors" / f"{cited.id}.yaml", retext)
    preview.save()


def test_a_reading_corpus_answers_as_its_corpus_and_notes_each_question(tmp_path: Path) -> None:
    project = make_corpus(tmp_path)
    checked = check(project)
    reads: set[tuple[object, ...]] = set()
    seen, _ = reading(Inputs(checked), reads)
    assert isinstance(seen.corpus, ReadingCorpus) and isinstance(seen.corpus, Corpus)
    assert seen.corpus.by_id["china"] is checked.corpus.by_id["china"]
    assert seen.corpus.involving("relation", "china") == ()
    assert reads == {("by_id", "china"), ("involving", "relation", "china")}
    # What a statement is, and whether its text links to a sheet, is read from its sheet.
    assert seen.corpus.statement("china#trade").id == "trade"
    assert ("china", "russia", "trade") not in seen.corpus.text_links
    assert reads == {("by_id", "china"), ("by_id", "russia"), ("involving", "relation", "china")}
    # Same corpus, same answers; a changed sheet changes only the questions about it.
    assert Changes(Inputs(checked), Inputs(checked)).same(reads)
    russia = project.content / "actors" / "russia.yaml"
    russia.write_text(russia.read_text().replace("summary:", "summary: Edited."))
    after = check(project)
    changes = Changes(Inputs(checked), Inputs(after))
    assert changes.same([("by_id", "china"), ("involving", "relation", "china")])
    assert not changes.same([("by_id", "russia")])
    assert not changes.same([("sheets",)])
    assert not Changes(None, Inputs(after)).same([])


def test_data_files_joined_from_remembered_records_are_those_of_one_serialization(
    tmp_path: Path, forgetful: pytest.MonkeyPatch
) -> None:
    project = make_corpus(tmp_path)
    china = project.content / "actors" / "china.yaml"
    china.write_text(
        china.read_text().replace(
            "text: Trade between China and Russia",
            "text: Trade <b>between</b> China & Russia",
        ),
        encoding="utf-8",
    )
    for _ in range(2):  # made, then reused
        checked = check(project)
        written = data_files(checked)
        assert written[facts.FACTS] == facts.dumps_content(facts.facts(checked))
        together = facts.dumps_content(annotations.collection(checked))
        assert written[annotations.ANNOTATIONS] == together
        assert "\\u003cb\\u003ebetween\\u003c/b\\u003e China \\u0026" in together
    assert facts.REMEMBERED.made == 0


def test_joining_refuses_a_fragment_placed_at_another_depth() -> None:
    skeleton = {"items": [facts.placeholder(0)], "more": {"items": [facts.placeholder(1)]}}
    pieces = [facts.fragment({"a": [1]}, 2), facts.fragment({"b": "<"}, 2)]
    with pytest.raises(ValueError, match="placeholder sits at"):
        facts.joined(skeleton, pieces, 2)
    assert facts.joined({"items": [facts.placeholder(0)]}, pieces, 2) == facts.dumps_content(
        {"items": [{"a": [1]}]}
    )


def test_a_reading_corpus_answers_every_field_and_index_of_corpus_itself() -> None:
    # A field or index it did not answer would be read from the class (a default value) or
    # computed unnoted: a page could then be reused though what it shows changed.
    public = [
        name
        for name, member in vars(Corpus).items()
        if not name.startswith("_") and (callable(member) or hasattr(member, "__get__"))
    ]
    for name in [field.name for field in dataclasses.fields(Corpus)] + public:
        assert name in vars(ReadingCorpus), name


def test_a_build_writing_its_data_files_keeps_no_memo_of_them(
    tmp_path: Path, forgetful: pytest.MonkeyPatch
) -> None:
    from briefing.data.offsets import align
    from briefing.data.publish import write_data

    project = make_corpus(tmp_path)
    checked = check(project)
    expected = data_files(checked)
    assert facts.REMEMBERED.sheets and annotations.REMEMBERED.sheets  # the preview's memos
    write_data(checked, tmp_path / "out")
    assert facts.REMEMBERED.sheets == {} and annotations.REMEMBERED.sheets == {}
    assert annotations.REMEMBERED.inputs is None
    assert align.cache_info().currsize == 0  # the texts' offset maps too
    assert {p: (tmp_path / "out" / p).read_text("utf-8") for p in expected} == expected
