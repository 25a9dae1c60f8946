"""Hostile content that must be refused: exact located messages, no traceback, fast.

The cases live in tests/hostile/cases.py. Each runs through the library's `check` (load,
validate, link, verify); a representative subset also runs through `build.py build` as
a subprocess, which must exit 1, print exactly the messages and keep the previous site.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.check.checker import check
from briefing.model.contract import RESERVED_IDS
from briefing.model.errors import ContentError
from briefing.project import Project
from tests.helpers import ROOT, make_corpus
from tests.hostile.cases import BILLION_LAUGHS, CANARY, REJECTED, VIA_CLI, Rejected, plant_canary

BY_NAME = {case.name: case for case in REJECTED}


def hostile_project(tmp_path: Path, case: Rejected) -> Project:
    """The base corpus with the case's files and symbolic links, and the canary planted."""
    project = make_corpus(tmp_path, case.files)
    plant_canary(tmp_path, project.root)
    for link, target in case.links.items():
        path = project.root / link
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(project.root / target)
    return project


def problems(project: Project) -> list[str]:
    with pytest.raises(ContentError) as raised:
        check(project)
    return [str(p) for p in raised.value.problems]


def test_the_corpus_is_large_and_every_case_is_distinct() -> None:
    assert len(REJECTED) >= 40
    assert len(BY_NAME) == len(REJECTED), "two cases share a name"
    assert set(VIA_CLI) <= set(BY_NAME)


@pytest.mark.parametrize("case", REJECTED, ids=[c.name for c in REJECTED])
def test_hostile_content_is_refused_exactly(tmp_path: Path, case: Rejected) -> None:
    project = hostile_project(tmp_path, case)
    started = time.perf_counter()
    found = problems(project)
    elapsed = time.perf_counter() - started
    assert found == case.expected
    assert all(CANARY not in message for message in found)
    assert elapsed < 2, f"{case.name}: check took {elapsed:.2f} s"


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A project whose good site was built once; its index page, to compare after failures."""
    project = make_corpus(tmp_path_factory.mktemp("cli"))
    result = run_build(project.root)
    assert result.returncode == 0, result.stderr
    return project.root, (project.root / "site/index.html").read_bytes()


@pytest.mark.parametrize("name", VIA_CLI)
def test_build_py_exits_1_with_exact_messages_and_no_traceback(tmp_path: Path, name: str) -> None:
    case = BY_NAME[name]
    project = hostile_project(tmp_path, case)
    (project.root / "site").mkdir()
    (project.root / "site/index.html").write_text("previous site\n")
    result = run_build(project.root)
    count = len(case.expected)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        *case.expected,
        f"{count} problem{'s' * (count != 1)} found; nothing was built",
    ]
    assert result.stdout == ""
    assert (project.root / "site/index.html").read_text() == "previous site\n"
    assert not list(project.root.glob(".site-*"))


def test_alias_bomb_is_refused_in_well_under_a_second(tmp_path: Path) -> None:
    path = "content/actors/iran.yaml"
    project = make_corpus(tmp_path, {path: BILLION_LAUGHS})
    started = time.perf_counter()
    found = problems(project)
    elapsed = time.perf_counter() - started
    assert elapsed < 1, f"alias bomb took {elapsed:.2f} s"
    anchors = [
        f"{path}:{n + 2}:5: anchors ('&a{n}') are not allowed; remove it and repeat values"
        for n in range(9)
    ]
    assert [p for p in found if "anchors ('&" in p] == anchors
    aliases = [p for p in found if "aliases ('*" in p]
    assert len(aliases) == 8 * 9  # every alias reported once, none expanded
    assert (
        aliases[0] == f"{path}:3:10: aliases ('*a0') are not allowed; write the value out in full"
    )
    unknown = [p for p in found if "unknown field" in p]
    missing = [p for p in found if "missing required field" in p]
    assert (len(unknown), len(missing)) == (9, 3)  # a0..a8; name, summary, type
    assert len(found) == 9 + 8 * 9 + 9 + 3


def test_no_content_reaches_a_python_object(tmp_path: Path) -> None:
    """The '!!python/object/apply' case ran nothing: no file was created."""
    project = hostile_project(tmp_path, BY_NAME["python object tag"])
    problems(project)
    assert not (project.root / "pwned").exists() and not Path("pwned").exists()


LARGE = 250_000


@pytest.mark.parametrize(
    "body",
    [
        "a: &a x\nb: [" + ", ".join(["*a"] * (LARGE // 4)) + "]\n",
        "a: {" + ", ".join(f"k{i}: v" for i in range(LARGE // 11)) + "}\n",
        "a: [" + "x, " * (LARGE // 3) + "\n",
        "".join(f"unknown{i}: x\n" for i in range(LARGE // 16)),
    ],
    ids=["aliases", "flow mapping", "unclosed flow list", "unknown fields"],
)
def test_largest_allowed_files_are_checked_in_bounded_time(tmp_path: Path, body: str) -> None:
    """Files just under the size limit, shaped to make a parser or validator work hardest."""
    assert len(body.encode()) < 256 * 1024
    project = make_corpus(tmp_path, {"content/actors/iran.yaml": body})
    started = time.perf_counter()
    found = problems(project)
    elapsed = time.perf_counter() - started
    assert found and all(p.startswith("content/actors/iran.yaml:") for p in found)
    assert elapsed < 5, f"took {elapsed:.2f} s"


def test_a_long_wrong_quote_against_a_long_text_is_checked_fast(tmp_path: Path) -> None:
    """The closest-passage hint once compared the quote at every word: minutes per quote."""
    words = ["alpha", "beta", "gamma", "delta", "trade", "russia", "china", "war"]
    text = " ".join(words[(i * 7 + i // 8) % 8] for i in range(40_000))
    quote = " ".join(words[(i * 5 + i // 3) % 8] for i in range(3_000))
    sheet = "id: iran\nname: Iran\ntype: state\nsummary: s\nstatements:\n" + "".join(
        f"  - id: s{n}\n    text: t\n    kind: reported\n    source: long\n"
        f"    quote: {quote} x{n}\n"
        for n in range(10)
    )
    files = {
        "content/sources/long.yaml": "id: long\ntitle: L\nsummary: s\ntext: long.txt\n",
        "content/sources/long.txt": text,
        "content/actors/iran.yaml": sheet,
    }
    project = make_corpus(tmp_path, files)
    started = time.perf_counter()
    found = problems(project)
    elapsed = time.perf_counter() - started
    assert len(found) == 10
    assert all("quote not found in source 'long'" in p for p in found)
    assert elapsed < 5, f"ten wrong quotes took {elapsed:.2f} s"


def test_reserved_ids_are_documented() -> None:
    doc = (ROOT / "docs/security.md").read_text(encoding="utf-8")
    listed = ", ".join(f"`{reserved}`" for reserved in RESERVED_IDS)
    assert f"index use them: {listed}." in " ".join(doc.split())
