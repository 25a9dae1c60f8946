"""Work shared with forked workers: results in order, failures raised here, no worker left."""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import time
import weakref
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

import briefing.forked
from briefing.forked import (
    Background,
    WorkerLost,
    WorkerPool,
    release_memory,
    run_shares,
    share_of,
)
from briefing.model.errors import TemplateProblem
from tests.helpers import ROOT


def test_each_share_runs_once_and_results_come_in_order() -> None:
    results = run_shares(lambda index, count: (index, count, os.getpid()), 3)
    assert [(index, count) for index, count, _ in results] == [(0, 3), (1, 3), (2, 3)]
    assert results[0][2] == os.getpid()  # the first share runs here
    assert len({pid for _, _, pid in results}) == 3  # the others in workers of their own


def test_one_worker_runs_everything_here() -> None:
    assert run_shares(lambda index, count: (index, count, os.getpid()), 1) == [(0, 1, os.getpid())]


def test_an_error_in_a_worker_is_raised_here_as_it_was_raised() -> None:
    def work(index: int, count: int) -> int:
        if index == 1:
            raise TemplateProblem("templates/x.md.j2:1: 'y' is undefined")
        return index

    with pytest.raises(TemplateProblem, match=r"^templates/x\.md\.j2:1: 'y' is undefined$"):
        run_shares(work, 2)


def test_a_worker_that_dies_is_reported() -> None:
    def work(index: int, count: int) -> int:
        if index == 1:
            os._exit(3)
        return index

    with pytest.raises(WorkerLost, match=r"^a worker process stopped without a result$"):
        run_shares(work, 2)


def test_an_error_here_stops_the_workers(tmp_path: Path) -> None:
    pids = tmp_path / "pids"

    def work(index: int, count: int) -> int:
        if index == 0:
            deadline = time.monotonic() + 30
            while not pids.exists() and time.monotonic() < deadline:
                time.sleep(0.01)  # until the worker is surely running
            raise ValueError("here")
        (tmp_path / "pid").write_text(str(os.getpid()))
        (tmp_path / "pid").rename(pids)  # whole, or not there at all
        time.sleep(60)
        return index

    started = time.monotonic()
    with pytest.raises(ValueError, match=r"^here$"):
        run_shares(work, 2)
    assert time.monotonic() - started < 45  # not the worker's 60 s
    worker = int(pids.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # ended and reaped


@pytest.mark.parametrize("count", [1, 2, 3, 5])
@pytest.mark.parametrize("weight", [1.0, 1.2, 2.0])
def test_shares_take_every_position_once_and_share_zero_by_its_weight(
    count: int, weight: float
) -> None:
    total = 1000
    shares = [share_of(total, index, count, weight) for index in range(count)]
    assert sorted(p for share in shares for p in share) == list(range(total))
    assert all(share == sorted(share) for share in shares)
    expected_first = total * weight / (weight + count - 1) if count > 1 else total
    assert abs(len(shares[0]) - expected_first) <= 1
    sizes = [len(share) for share in shares[1:]]
    assert not sizes or max(sizes) - min(sizes) <= 1
    # Evenly spread: every block of 100 positions holds share 0's part of it, give or take 2.
    for start in range(0, total, 100):
        held = sum(start <= p < start + 100 for p in shares[0])
        assert abs(held - expected_first / 10) <= 2


def test_background_work_runs_in_another_process_while_this_one_goes_on(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def work() -> int:
        started.touch()
        time.sleep(0.3)
        return os.getpid()

    worker = Background(work)
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists()  # the worker runs before result() is asked for
    pid = worker.result()
    assert pid != os.getpid()


def test_an_error_in_background_work_is_raised_by_result() -> None:
    def work() -> int:
        raise TemplateProblem("templates/x.md.j2:1: 'y' is undefined")

    with pytest.raises(TemplateProblem, match=r"^templates/x\.md\.j2:1: 'y' is undefined$"):
        Background(work).result()


def test_a_background_worker_that_dies_is_reported() -> None:
    with pytest.raises(WorkerLost):
        Background(lambda: os._exit(3)).result()


def test_closing_a_background_worker_stops_it(tmp_path: Path) -> None:
    mark = tmp_path / "finished"

    def work() -> None:
        time.sleep(5)
        mark.touch()

    worker = Background(work)
    worker.close()
    time.sleep(0.2)
    assert not worker._process.is_alive()
    assert not mark.exists()


def test_a_stop_held_over_a_background_start_stops_the_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mark = tmp_path / "worked"

    def work() -> None:
        time.sleep(0.5)
        mark.touch()

    start = BaseProcess.start

    def start_then_stopped(self: BaseProcess) -> None:
        start(self)
        os.kill(os.getpid(), signal.SIGINT)  # held with the start: lands as it ends

    monkeypatch.setattr(BaseProcess, "start", start_then_stopped)
    # Python's own handler, whatever an earlier test left (the command line installs its own).
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with pytest.raises(KeyboardInterrupt):
            Background(work)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, handler)
    time.sleep(1.5)
    assert not mark.exists()  # the worker, which never got the stop, was ended


def _ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_background_worker_ends_when_the_process_that_forked_it_is_killed() -> None:
    script = (
        "import time\n"
        "from briefing.forked import Background\n"
        "worker = Background(lambda: time.sleep(120))\n"
        "print(worker._process.pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, cwd=ROOT)
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while not _ended(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert _ended(worker)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signal.SIGKILL)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.mark.parametrize(
    ("resident", "collected"),
    [
        (briefing.forked.RELEASE_FROM, True),  # a large process: collected, handed back
        (briefing.forked.RELEASE_FROM - 1, False),  # a small one: not worth the time
        (None, True),  # unknown (no /proc): as if large
    ],
)
def test_memory_is_released_only_by_a_large_process(
    monkeypatch: pytest.MonkeyPatch, resident: int | None, collected: bool
) -> None:
    monkeypatch.setattr(briefing.forked, "resident_bytes", lambda: resident)
    enabled = gc.isenabled()
    gc.disable()  # only release_memory collects
    try:
        cycle = weakref.ref(_Cycle())
        release_memory()
        assert (cycle() is None) == collected
    finally:
        if enabled:
            gc.enable()


def test_the_resident_size_is_read() -> None:
    resident = briefing.forked.resident_bytes()
    assert resident is None or 2**20 < resident < 2**40


FORK = multiprocessing.get_context("fork")


def _new_workers(before: set[BaseProcess]) -> set[BaseProcess]:
    return set(multiprocessing.active_children()) - before


def test_a_pool_forks_its_workers_when_made_with_the_objects_frozen() -> None:
    before = set(multiprocessing.active_children())
    with WorkerPool(2, FORK) as pool:
        workers = _new_workers(before)
        assert len(workers) == 2  # forked before any task, so before the pool's thread
        assert gc.get_freeze_count() == 0  # frozen only while they were forked
        # In the workers, what they inherited stays out of their collections.
        assert min(pool.submit(gc.get_freeze_count).result() for _ in range(4)) > 0
    assert not any(worker.is_alive() for worker in workers)


def test_a_pool_given_no_task_stops_its_workers() -> None:
    before = set(multiprocessing.active_children())
    pool = WorkerPool(2, FORK)
    workers = _new_workers(before)
    try:
        pool.shutdown(wait=True)
        assert len(workers) == 2
        assert not any(worker.is_alive() for worker in workers)
    finally:  # else they would wait for a task until pytest ends
        for worker in workers:
            worker.terminate()
