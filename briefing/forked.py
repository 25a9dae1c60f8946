"""Share independent work between this process and forked workers (one per extra core).

Used where the work is large and its inputs are already in memory (the sheet files to load,
the checked corpus to render): a forked worker inherits them, so only its result crosses
back, pickled through a pipe. This process takes the first share itself rather than wait.

Fork only where it is safe: not in a process that runs threads (the live-preview server);
callers pass workers=1 there, which runs everything here.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from briefing.model.errors import BriefingError

T = TypeVar("T")

# The signals a user or CI sends to stop a build.
STOPS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextlib.contextmanager
def stops_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends; a held signal is delivered after it.

    Around a fork: a stop that lands while fork runs its at-fork callbacks raises inside one
    of them, where Python prints it as ignored, and the build went on as if never stopped.
    It holds them in this thread: a signal the kernel gives another thread still runs the
    handler here. A thread started in the block inherits the hold (Indexing's does).
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextlib.contextmanager
def stops_taken() -> Iterator[None]:
    """Take SIGINT and SIGTERM in this thread until the block ends (one started with stops
    held holds them): a process started meanwhile inherits the thread's mask, and must
    end on a stop like any other."""
    held = signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def release_stops() -> None:
    """In a worker forked under stops_held: take SIGINT and SIGTERM again."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


class WorkerLost(BriefingError):
    """A forked worker ended without sending its result (killed, out of memory)."""


# prctl's option that asks for a signal when the parent ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def ends_with_parent(parent: int) -> None:
    """In a worker that parent forked: be sent SIGTERM when parent ends (Linux; elsewhere
    nothing). A worker stopped by its parent (close(), a failed build) has its own workers
    stopped so, and none outlives a build that was killed: the PDF process's workers, blocked
    on a pipe nobody read, outlived a failed build and held its output open for good."""
    prctl = _libc_function("prctl")
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


class WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers end with this process (initializer: ends_with_parent, or
    one that calls it): this process stopped by its own parent (Background.close) stops them.

    With fork, its workers are forked when it is made, with this process's objects frozen
    (as in run_shares), and copy this process as it is then; it may still fork until the
    first task starts the pool's thread. A worker keeps its own copy of every page this
    process rewrites after the fork: the inspection's workers, forked at the first page
    MkDocs wrote rather than before the check, cost a 10,000-sheet build about 90 MiB more
    at its peak (docs/performance.md, ninth round).
    """

    def __init__(
        self,
        workers: int,
        context: BaseContext,
        initializer: Callable[[int], None] = ends_with_parent,
    ) -> None:
        super().__init__(
            workers, mp_context=context, initializer=initializer, initargs=(os.getpid(),)
        )
        self._tasked = False
        # The executor forks every worker in this method, before its thread starts; a Python
        # without it forks them at the first task (tests/test_forked.py would tell).
        launch: Callable[[], None] | None = getattr(self, "_launch_processes", None)
        self.forked_early = False
        if launch is not None and context.get_start_method() == "fork":
            self.forked_early = True
            gc.freeze()
            try:
                launch()
            finally:
                gc.unfreeze()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        self._tasked = True
        return super().submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """As ProcessPoolExecutor's; workers forked early are stopped even if never given a
        task (only the pool's thread, which the first task starts, tells them to end)."""
        if self.forked_early and not self._tasked:
            with contextlib.suppress(RuntimeError):  # a broken pool, or Python exiting
                self.submit(int)
        super().shutdown(wait, cancel_futures=cancel_futures)


def _run_share(
    work: Callable[[int, int], T], index: int, count: int, out: Connection, parent: int
) -> None:
    """In a forked worker: send (True, result) or (False, the exception that stopped it)."""
    ends_with_parent(parent)
    release_stops()
    try:
        out.send((True, work(index, count)))
    except BaseException as error:  # any failure, an interrupt too, goes to the parent
        out.send((False, error))
    finally:
        out.close()


def run_shares(work: Callable[[int, int], T], workers: int) -> list[T]:
    """[work(0, n), work(1, n), ...] for n = workers: the first here, the rest in forked
    workers at the same time. An exception in any share is raised here, as it was raised."""
    if workers <= 1:
        return [work(0, 1)]
    context = multiprocessing.get_context("fork")
    # Frozen, the inherited objects are left out of the workers' garbage collections, which
    # would otherwise touch (and so copy) every page of memory they share with this process.
    gc.freeze()
    children: list[tuple[BaseProcess, Connection]] = []
    try:
        for index in range(1, workers):
            receiver, sender = context.Pipe(duplex=False)
            child = context.Process(
                target=_run_share, args=(work, index, workers, sender, os.getpid())
            )
            # Recorded before a stop held over the start lands, so the clean-up below ends it.
            with stops_held():
                child.start()
                children.append((child, receiver))
            sender.close()  # the worker's copy is the only one left: EOF if it dies
        results = [work(0, workers)]
        for _, receiver in children:
            try:
                succeeded, result = receiver.recv()
            except EOFError:
                raise WorkerLost("a worker process stopped without a result") from None
            if not succeeded:
                raise result
            results.append(result)
        return results
    finally:
        for worker, receiver in children:
            receiver.close()
            if worker.is_alive():
                worker.terminate()
            worker.join()
        gc.unfreeze()


class Background(Generic[T]):
    """work() run in one forked process while this one goes on; result() waits for it.

    Started before this process runs threads (the engine's build, the inspection's workers),
    so the fork is safe; the worker may fork its own workers in turn. An exception in the
    worker is raised by result(); close() stops a worker whose result is no longer wanted.
    """

    def __init__(self, work: Callable[[], T], name: str | None = None) -> None:
        """name: the worker process's (multiprocessing's own, else)."""
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        gc.freeze()  # the worker's collections leave the inherited objects alone (see above)
        self._process = context.Process(
            target=_run_share,
            args=(lambda index, count: work(), 0, 1, sender, os.getpid()),
            name=name,
        )
        try:
            with stops_held():
                self._process.start()
        except BaseException:
            # A stop held over the start lands as the block ends: the worker, forked with
            # stops held and so never sent it, would lay out and write everything unasked.
            sender.close()
            if self._process.pid is not None:
                self.close()
            raise
        finally:
            gc.unfreeze()
        sender.close()  # the worker's copy is the only one left: EOF if it dies

    def result(self) -> T:
        """The worker's result, once it has sent it (its exception raised here, if it failed)."""
        try:
            succeeded, result = self._receiver.recv()
        except EOFError:
            raise WorkerLost("a worker process stopped without a result") from None
        finally:
            self.close()
        if not succeeded:
            raise result
        return result  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the worker if it still runs, and reap it."""
        self._receiver.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def share_of(total: int, index: int, count: int, first_weight: float = 1.0) -> list[int]:
    """The positions (of 0 .. total - 1) that share index of count takes.

    Positions are dealt evenly through the range, so that each share gets alike items where
    neighbouring items cost alike; share 0 (this process) gets first_weight times as many as
    each worker, for work whose workers also pickle what this process then reads back.
    """
    if count <= 1:
        return list(range(total))
    first = first_weight / (first_weight + count - 1)
    mine: list[int] = []
    given = others = 0
    for position in range(total):
        if round((position + 1) * first) > given:
            owner = 0
            given += 1
        else:
            owner = 1 + others % (count - 1)
            others += 1
        if owner == index:
            mine.append(position)
    return mine


# Below this resident size, release_memory() has too little to hand back to be worth its
# time: a full collection of a 1,000-sheet build's process (about 120 MiB) takes 25 to 80 ms,
# three times a build.
RELEASE_FROM = 256 * 2**20


def release_memory() -> None:
    """Collect the objects a finished stage left in cycles (MkDocs' pages and navigation are
    full of them), and give the freed memory back to the system where the C library can
    (glibc's malloc_trim): a process started next (Pagefind) then finds it free. Only in a
    process of RELEASE_FROM bytes or more, where that is known (Linux's /proc).

    Python frees memory to its allocator, which keeps most of it for reuse: without the trim,
    a large build's process stays as large after the engine as during it.
    """
    resident = resident_bytes()
    if resident is not None and resident < RELEASE_FROM:
        return
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def resident_bytes() -> int | None:
    """This process's resident set size, or None where /proc does not tell it."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    trim = _libc_function("malloc_trim")
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def _libc_function(name: str) -> Any:
    """A function of the C library by name, or None where it has none."""
    try:
        library = ctypes.CDLL(None)  # this program's symbols, the C library's among them
    except OSError:
        return None
    return getattr(library, name, None)


def usable_cores() -> int:
    """The CPUs this process may run on (Linux: respects taskset and cgroups)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1
