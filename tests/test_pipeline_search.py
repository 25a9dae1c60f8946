"""Pagefind beside the build's last steps (briefing.web.search.Indexing, briefing.pipeline):
its bundle is written beside the site and joins it only once the scan has passed; a failure
or a stop ends it; it starts only once every other process of the build has ended and
MkDocs has let go of its pages (the memory it needs at 10,000 sheets, docs/performance.md).

A stand-in Pagefind (a shell script) makes the failures and the stops deterministic.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

import briefing.pipeline
import briefing.web.search
import briefing.web.shards
import briefing.web.site
from briefing.model.errors import SiteBuildError
from briefing.pipeline import ZIP_WORKER, PdfOptions, build_site
from briefing.project import Project
from briefing.web import between_builds
from briefing.web.search import OUTPUT, UNUSED, Indexing, pagefind_binary
from briefing.web.site import InspectAsBuilt
from tests.helpers import ROOT, leftovers, make_corpus, snapshot

PAGE = '<html lang="en"><body><main data-pagefind-body><h1>Harbour</h1><p>Dockhands.</p></main>'


def stand_in(folder: Path, body: str) -> Path:
    """An executable standing in for Pagefind."""
    script = folder / "fake-pagefind"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def sleeping(folder: Path, mark: Path) -> Path:
    """A Pagefind that writes its pid to mark, then never ends (exec: the pid is the sleep's)."""
    return stand_in(folder, f'echo $$ > "{mark}"\nexec sleep 300')


def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the processes Indexing starts, as it starts them."""
    pids: list[int] = []
    popen = subprocess.Popen

    def recording(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        process = popen(*args, **kwargs)  # type: ignore[call-overload]
        pids.append(process.pid)
        return process  # type: ignore[no-any-return]

    monkeypatch.setattr(briefing.web.shards.subprocess, "Popen", recording)
    return pids


def pid_when_started(mark: Path) -> int:
    deadline = time.monotonic() + 60
    while not (mark.exists() and mark.read_text().strip()):
        assert time.monotonic() < deadline, "the stand-in Pagefind never started"
        time.sleep(0.02)
    return int(mark.read_text())


def gone(pid: int) -> bool:
    """Whether pid has ended and been reaped (a zombie still exists)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def beside(site: Path) -> list[Path]:
    return sorted(site.parent.glob(f"{site.name}-pagefind-*"))


def small_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "harbour").mkdir(parents=True)
    (site / "harbour" / "index.html").write_text(PAGE, encoding="utf-8")
    return site


@pytest.mark.skipif(pagefind_binary() is None, reason="pagefind_bin is not installed")
def test_the_bundle_is_written_beside_the_site_and_moved_in_when_finished(
    tmp_path: Path,
) -> None:
    site = small_site(tmp_path)
    with Indexing(site) as indexing:
        assert len(beside(site)) == 1
        assert not (site / OUTPUT).exists()  # steps that walk the site meanwhile never see it
        assert indexing.finish() == []
    assert (site / OUTPUT / "pagefind.js").is_file()
    assert not any((site / OUTPUT / name).exists() for name in UNUSED)
    assert beside(site) == []


def test_a_failing_pagefind_gives_its_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = small_site(tmp_path)
    failing = stand_in(tmp_path, 'echo "no pages" >&2\nexit 3')
    monkeypatch.setattr(briefing.web.search, "pagefind_binary", lambda: failing)
    with Indexing(site) as indexing:
        assert indexing.finish() == [f"error: Pagefind could not index {site}: no pages"]
    assert not (site / OUTPUT).exists()
    assert beside(site) == []


def test_a_stop_as_the_folder_is_made_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop lands once the folder exists, before the call that made it returns."""
    site = small_site(tmp_path)
    make = os.mkdir

    def made_then_stopped(path: str | Path, *args: object, **kwargs: object) -> None:
        make(path, *args, **kwargs)  # type: ignore[arg-type]
        if "-pagefind-" in Path(path).name:
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "mkdir", made_then_stopped)
    indexing = Indexing(site)
    with pytest.raises(KeyboardInterrupt):
        indexing.start()
    monkeypatch.undo()
    assert beside(site) == []
    indexing.close()


def test_a_stop_while_finishing_ends_the_wait_and_close_waits_for_the_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The indexing thread goes on for a moment after a stop (copying a part from the cache,
    writing shards.json): finish() ends at once, and the folder goes only once the thread
    has ended."""
    site = small_site(tmp_path)
    gate = threading.Event()

    def parts_at_the_gate(site: Path, into: Path, *_: object) -> list[str]:
        gate.wait()
        (into / OUTPUT).mkdir(parents=True)  # as copying a cached part makes its folders
        return []

    def stop() -> None:  # to the main thread, as the kernel gives a stop to the build
        time.sleep(0.2)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    monkeypatch.setattr(briefing.web.search, "pagefind_binary", lambda: tmp_path / "unused")
    monkeypatch.setattr(briefing.web.shards, "index_parts", parts_at_the_gate)
    indexing = Indexing(site)
    stopping = threading.Thread(target=stop)
    never_stopped = threading.Timer(10, gate.set)  # finish() then ends, and the test fails
    # Python's own handler, set here: run in the background by a shell without job control
    # (`make test &`), the tests inherit SIGINT ignored, and Python leaves it so (the build's
    # command line sets its own handlers).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        indexing.start()
        stopping.start()
        never_stopped.start()
        with pytest.raises(KeyboardInterrupt):
            indexing.finish()
        assert not gate.is_set()  # the stop ended the wait, not the thread's end
        threading.Timer(0.3, gate.set).start()  # the thread goes on a moment after the stop
        indexing.close()
        gate.wait()
        time.sleep(0.3)  # had close() not waited, the thread has written by now
        assert beside(site) == []
    finally:
        if stopping.is_alive():
            stopping.join()  # its signal sent before the handler is put back
        never_stopped.cancel()
        signal.signal(signal.SIGINT, previous)
        gate.set()
        indexing.close()


def test_pagefind_takes_stops_though_the_thread_that_starts_it_holds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stops go to the build's main thread (where stops_held can hold them), not to the
    indexing threads; Pagefind, which inherits the mask of the thread that starts it, ends
    on a stop like any process."""
    site = small_site(tmp_path)
    said = tmp_path / "said"
    fake = tmp_path / "fake-pagefind"  # Python: a shell clears the mask it inherits
    fake.write_text(
        f"#!{sys.executable}\nimport signal, sys\n"
        "held = signal.pthread_sigmask(signal.SIG_BLOCK, [])\n"
        f"open({str(said)!r}, 'w').write(' '.join(str(int(s)) for s in held))\nsys.exit(3)\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setattr(briefing.web.search, "pagefind_binary", lambda: fake)
    held: list[set[int]] = []
    index = briefing.web.shards.Indexer.index

    def noting(self: briefing.web.shards.Indexer, *args: object) -> str | None:
        held.append(signal.pthread_sigmask(signal.SIG_BLOCK, []))
        return index(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(briefing.web.shards.Indexer, "index", noting)
    with Indexing(site) as indexing:
        assert indexing.finish()  # the stand-in's exit 3
    assert held and all({signal.SIGINT, signal.SIGTERM} <= mask for mask in held)
    assert said.read_text() == ""


def test_closing_stops_a_running_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = small_site(tmp_path)
    mark = tmp_path / "pid"
    fake = sleeping(tmp_path, mark)
    monkeypatch.setattr(briefing.web.search, "pagefind_binary", lambda: fake)
    pids = started(monkeypatch)
    with Indexing(site):
        assert pid_when_started(mark) == pids[0]
    assert gone(pids[0])
    assert beside(site) == []


@pytest.mark.parametrize("large", [False, True], ids=["up to 5,000 sheets", "above"])
def test_pagefind_starts_once_every_other_process_of_the_build_has_ended(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool
) -> None:
    """The PDF process and the inspection's workers hold memory Pagefind needs at scale;
    up to between_builds.KEPT_UP_TO sheets, the offline zip is written beside it."""
    if large:
        monkeypatch.setattr(between_builds, "KEPT_UP_TO", 0)
    project = make_corpus(tmp_path)
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    # Workers for the inspection even of this small site.
    monkeypatch.setattr(briefing.web.site, "default_workers", lambda pages: 2)
    alive_at_start: list[list[str]] = []

    class Recording(Indexing):
        def __init__(self, site: Path, *args: object) -> None:
            alive_at_start.append([child.name for child in multiprocessing.active_children()])
            # The list of PDFs, which Pagefind indexes, is final: its facts are filled in.
            assert 'data-pdf="' in (site / "pdfs" / "index.html").read_text(encoding="utf-8")
            assert "not built" not in (site / "pdfs" / "index.html").read_text(encoding="utf-8")
            super().__init__(site, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(briefing.pipeline, "Indexing", Recording)
    built = build_site(project, project.root / "site", PdfOptions())
    assert built.pdfs >= 1
    # (The zip's worker may have finished already: a small site's zip is quick.)
    assert len(alive_at_start) == 1
    assert set(alive_at_start[0]) <= (set() if large else {ZIP_WORKER})
    assert (project.root / "site" / OUTPUT / "pagefind.js").is_file()


def test_no_page_of_mkdocs_outlives_its_build(tmp_path: Path) -> None:
    """MkDocs' configuration options (class attributes) keep the last build's plugins, and
    through the tags plugin every page with its HTML: the build makes them let go."""
    project = make_corpus(tmp_path)
    build_site(project, project.root / "site")
    gc.collect()
    kept = [o for o in gc.get_objects() if isinstance(o, Page) and str(tmp_path) in o.file.dest_dir]
    assert kept == []


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = make_corpus(tmp_path)
    build_site(project, project.root / "site")
    return project.root


def test_a_scan_failure_stops_pagefind_and_reports_the_scan(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = built / "site"
    before = snapshot(site)
    (built / "docs/about.md").write_text('# About\n\n<img src="x.png" onerror="alert(1)">\n')
    mark = tmp_path / "pid"
    fake = sleeping(tmp_path, mark)
    monkeypatch.setattr(briefing.web.search, "pagefind_binary", lambda: fake)
    pids = started(monkeypatch)
    scan = InspectAsBuilt.finish

    def once_pagefind_runs(self: InspectAsBuilt) -> list[str]:
        pid_when_started(mark)  # Pagefind runs in a thread: the scan fails while it runs
        return scan(self)

    monkeypatch.setattr(InspectAsBuilt, "finish", once_pagefind_runs)
    with pytest.raises(SiteBuildError, match=r"unsafe HTML in the built site: about/index\.html"):
        build_site(Project(built), site)
    assert pids
    assert all(gone(pid) for pid in pids)  # stopped, not waited for (it never ends)
    assert snapshot(site) == before
    assert leftovers(built) == []


# Runs build.py with Pagefind replaced by the script STAND_IN names.
LAUNCHER = """\
import os, runpy, sys
from pathlib import Path
import briefing.web.search
import briefing.web.shards
briefing.web.search.pagefind_binary = lambda: Path(os.environ["STAND_IN"])
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize(
    ("stop", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_stop_while_pagefind_runs_leaves_no_pagefind_running(
    built: Path, tmp_path: Path, stop: signal.Signals, code: int, said: str
) -> None:
    """The signal goes to the build's process only (not its group, as Ctrl-C would): the
    build itself must end Pagefind."""
    site = built / "site"
    before = snapshot(site)
    mark = tmp_path / "pid"
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER)
    env = {**os.environ, "STAND_IN": str(sleeping(tmp_path, mark)), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, str(launcher), str(ROOT / "build.py"), "--root", str(built)]
    process = subprocess.Popen(
        [*command, "build", "-q"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        pid = pid_when_started(mark)
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code
    assert stderr.decode().splitlines() == [f"{said}; site/ and the PDFs were left as they were"]
    assert gone(pid)
    assert snapshot(site) == before
    assert leftovers(built) == []
    assert not list(built.glob(".site-*"))
