"""Failure safety and reproducibility of the site build.

A failure at any stage (content, template, MkDocs warning, a symlink in docs/, unsafe
HTML found by the scan, a crash inside a stage, an interrupt) leaves the previous site/
byte-identical, no .site-build-*/.site-old-* folder behind and a non-zero exit; -q and -v
cannot turn a failing strict build into a passing one. Two builds of the same project
from different folders, with the same SOURCE_DATE_EPOCH, are identical byte for byte.
The PDF stage is being written on another branch: once it writes into site/pdf/, the
snapshot and reproducibility tests below cover its files too.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import briefing.pdf.layout
import briefing.pipeline
import briefing.web.engines
from briefing.model.errors import BriefingError
from briefing.pipeline import PdfOptions, build_site
from briefing.project import Project
from tests.helpers import ROOT, leftovers, make_corpus, snapshot
from tests.small_corpus import cached_corpus

BROKEN_SHEET = "id: iran\nname: Iran\ntype: stat\nsummary: s\n"
BROKEN_SHEET_MESSAGE = (
    "content/actors/iran.yaml:3:7: 'type' must be one of state, person, organization, group "
    "(got 'stat') (did you mean 'state'?)"
)


@pytest.fixture
def built(tmp_path: Path) -> Project:
    project = make_corpus(tmp_path)
    build_site(project, project.root / "site")
    return project


def break_content(project: Project) -> None:
    (project.content / "actors/iran.yaml").write_text(BROKEN_SHEET)


def break_template(project: Project) -> None:
    (project.templates / "actor.md.j2").write_text(
        '{% extends "_sheet.md.j2" %}\n{% block facts %}{{ sheet.missing }}{% endblock %}\n'
    )


def break_docs_link(project: Project) -> None:
    (project.root / "docs/about.md").write_text("# About\n\n[gone](nowhere.md)\n")


def link_docs_outside(project: Project) -> None:
    (project.root.parent / "secret.txt").write_text("secret\n")
    (project.root / "docs/leak.txt").symlink_to(project.root.parent / "secret.txt")


def unsafe_docs_html(project: Project) -> None:
    (project.root / "docs/about.md").write_text('# About\n\n<img src="x.png" onerror="alert(1)">\n')


FAILURES: list[tuple[str, Callable[[Project], None], str]] = [
    ("content", break_content, BROKEN_SHEET_MESSAGE),
    (
        "template",
        break_template,
        "templates/actor.md.j2:2: 'briefing.model.records.Actor object' has no attribute 'missing'",
    ),
    ("MkDocs warning", break_docs_link, "nowhere.md"),
    (
        "symlink in docs/",
        link_docs_outside,
        "error: docs/leak.txt: symbolic links are not allowed in docs/",
    ),
    ("unsafe HTML", unsafe_docs_html, "unsafe HTML in the built site: about/index.html:"),
]


@pytest.mark.parametrize(
    ("breaker", "expected"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
def test_a_failing_stage_keeps_the_previous_site_byte_identical(
    built: Project, breaker: Callable[[Project], None], expected: str
) -> None:
    site = built.root / "site"
    before = snapshot(site)
    breaker(built)
    with pytest.raises(BriefingError) as raised:
        build_site(built, site)
    assert expected in str(raised.value)
    assert snapshot(site) == before
    assert leftovers(built.root) == []


def test_a_crash_inside_a_stage_keeps_the_previous_site(
    built: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a BriefingError: a bug. It propagates, but the site and the folder stay clean."""
    site = built.root / "site"
    before = snapshot(site)

    def crash(*args: object) -> None:
        raise RuntimeError("a bug in render")

    monkeypatch.setattr(briefing.pipeline, "render_pages", crash)
    with pytest.raises(RuntimeError, match="a bug in render"):
        build_site(built, site)
    assert snapshot(site) == before
    assert leftovers(built.root) == []


@pytest.mark.parametrize(
    "where", ["while rendering", "inside MkDocs", "inside Zensical", "between the renames"]
)
def test_an_interrupt_anywhere_leaves_no_temporary_folder(
    built: Project, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    site = built.root / "site"
    before = snapshot(site)

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    engine = "zensical" if where == "inside Zensical" else "mkdocs"
    if where == "inside MkDocs":
        monkeypatch.setitem(briefing.pipeline.ENGINES, "mkdocs", interrupt)
    elif where == "inside Zensical":
        # The pages are staged beside the build's folder by then; that must go too.
        monkeypatch.setitem(briefing.web.engines.STAGED_ENGINES, "zensical", interrupt)
    elif where == "while rendering":
        monkeypatch.setattr(briefing.pipeline, "render_pages", interrupt)
    else:
        # site/ has been moved aside; Ctrl-C arrives before the new build is moved in.
        rename = Path.rename
        calls = []

        def rename_then_interrupt(self: Path, target: Path) -> Path:
            calls.append(self)
            if len(calls) == 2:
                raise KeyboardInterrupt
            return rename(self, target)

        monkeypatch.setattr(Path, "rename", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_site(built, site, engine=engine)
    monkeypatch.undo()
    assert snapshot(site) == before
    assert leftovers(built.root) == []


SLOW_HOOK = '''\
"""Test hook: marks the moment MkDocs has written the whole site, then waits."""
import os, time
def on_post_build(config):
    open(os.environ["BRIEFING_TEST_MARK"], "w").close()
    time.sleep(300)
'''


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_stopped_build_leaves_the_previous_site_and_no_temporary_folder(
    built: Project, stop: signal.Signals, code: int, said: str
) -> None:
    """Ctrl-C (or a CI cancel's SIGTERM) at the worst moment: MkDocs has filled the
    temporary folder, no swap yet."""
    site = built.root / "site"
    before = snapshot(site)
    (built.root / "slow_hook.py").write_text(SLOW_HOOK)
    config = built.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("hooks:\n", "hooks:\n  - slow_hook.py\n"))
    mark = built.root.parent / "mark"
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(built.root), "build"]
    env = {**os.environ, "BRIEFING_TEST_MARK": str(mark)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not mark.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert mark.exists(), process.communicate(timeout=5)
        # The staging folder, and the one the PDFs are laid out in beside it.
        temporary = sorted(p.name for p in built.root.iterdir() if p.name.startswith(".site-"))
        assert [name[:12] for name in temporary] == [".site-build-", ".site-build-"]
        assert temporary[1].startswith(f"{temporary[0]}-pdf-")
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=120)  # generous: a loaded machine is slow
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code
    assert stderr.decode().splitlines() == [f"{said}; site/ and the PDFs were left as they were"]
    assert snapshot(site) == before
    assert leftovers(built.root) == []


def run_build(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", *flags]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


PDF_WORKERS_SEEN = "BRIEFING_TEST_PDF_WORKERS"


def _slow_render_job(*args: object) -> object:
    """In a PDF worker: say so, then lay out nothing for far longer than the test waits."""
    (Path(os.environ[PDF_WORKERS_SEEN]) / str(os.getpid())).touch()
    time.sleep(120)
    raise AssertionError("the worker was not stopped")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_build_that_fails_while_the_pdfs_are_laid_out_leaves_no_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The PDF process's own workers, blocked on a pipe nobody read, outlived such a build
    # and held its output open: `briefing build | tee log` never ended.
    project = cached_corpus(tmp_path, monkeypatch)
    seen = tmp_path / "pdf-workers"
    seen.mkdir()
    monkeypatch.setenv(PDF_WORKERS_SEEN, str(seen))
    monkeypatch.setattr(briefing.pdf.layout, "_render_job", _slow_render_job)
    engine = briefing.pipeline.ENGINES["mkdocs"]

    def engine_once_the_pdf_workers_run(*args: object, **kwargs: object) -> object:
        deadline = time.monotonic() + 60
        while len(list(seen.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        return engine(*args, **kwargs)

    monkeypatch.setitem(briefing.pipeline.ENGINES, "mkdocs", engine_once_the_pdf_workers_run)
    (project.root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    workers: list[int] = []
    try:
        with pytest.raises(BriefingError, match="would hide a generated page"):
            build_site(project, project.root / "site", PdfOptions(jobs=2))
        workers = [int(path.name) for path in seen.iterdir()]
        assert len(workers) == 2  # the PDFs were being laid out by two workers
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in workers if _alive(pid)] == []
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("flags", [("-q",), ("-v",), ("-q", "-v")], ids=["-q", "-v", "-q -v"])
def test_quiet_or_verbose_never_turn_a_failing_build_into_a_passing_one(
    built: Project, flags: tuple[str, ...]
) -> None:
    site = built.root / "site"
    before = snapshot(site)
    break_docs_link(built)  # a warning only: the case `mkdocs build -q --strict` lets through
    result = run_build(built.root, *flags)
    assert result.returncode == 1
    assert "nowhere.md" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("the build failed; site/ was left as it was")
    break_content(built)
    result = run_build(built.root, *flags)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        BROKEN_SHEET_MESSAGE,
        "1 problem found; nothing was built",
    ]
    assert snapshot(site) == before
    assert leftovers(built.root) == []


def copy_project(target: Path) -> Path:
    """The repository's project files (the commit's content, not the tests' corpus)."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("briefing", "templates", "content", "docs"):
        shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for name in ("mkdocs.yml", "build.py"):
        shutil.copy2(ROOT / name, target / name)
    return target


def test_two_builds_from_different_folders_are_identical(tmp_path: Path) -> None:
    """Same commit, same SOURCE_DATE_EPOCH; other folder, hash seed, time zone and cwd."""
    builds = []
    for n, (folder, seed, zone) in enumerate(
        [("a/project", "1", "UTC"), ("bb/ccc/other-name", "2", "Asia/Tokyo")]
    ):
        root = copy_project(tmp_path / folder)
        env = {
            **os.environ,
            "SOURCE_DATE_EPOCH": "1700000000",
            "PYTHONHASHSEED": seed,
            "TZ": zone,
        }
        command = [sys.executable, str(root / "build.py"), "build", "-q"]
        cwd = root if n == 0 else tmp_path
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=cwd, env=env, timeout=120
        )
        assert result.returncode == 0, result.stderr
        builds.append(snapshot(root / "site"))
    first, second = builds
    assert len(first) > 20
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == []
