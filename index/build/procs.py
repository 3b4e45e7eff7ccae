"""The build's worker processes: started from any thread, and never outliving the program.

Two problems of ``multiprocessing`` are solved here rather than in its callers:

* Its helper processes (the resource tracker, the fork server) are started with the process's
  ``sys.stderr`` handed down by file number. Inside the app, Textual replaces ``sys.stderr``
  with an object whose ``fileno()`` is -1, and starting them failed with "bad value(s) in
  fds_to_keep": the app could not build 200 files or more. They are started here with a real
  file (``/dev/null`` when ``sys.stderr`` has none).
* After a ``kill -9`` of the program, the fork server and the workers waited forever for work
  (each holds the pipes that would tell it the program is gone), keeping the resource tracker
  alive too. On Linux each of them now asks the kernel to kill it when its parent dies
  (``PR_SET_PDEATHSIG``): the fork server when the program dies, the workers when the fork
  server dies, and the tracker then sees its last client go and exits.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import forkserver, get_context, resource_tracker
from pathlib import Path

from index.analysis.entities import gazcache

PR_SET_PDEATHSIG = 1
ANALYSIS = ["index.analysis.entities", "index.analysis.events", "index.ingest.corpus"]
_start_lock = threading.Lock()
_hook_installed = False
_forking_pid = 0


def die_with_parent() -> None:
    """Have the kernel kill this process when its parent (the thread that forked it) ends.

    Linux only; elsewhere a no-op. If the parent is already gone, exit now.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # not permitted here (a sandbox): the process simply lives as before
    if _forking_pid and os.getppid() != _forking_pid:
        os._exit(1)  # the parent died between the fork and the call above


def _remember_forking_pid() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def install_fork_hook() -> None:
    """Make every process this one forks from now on die with it (idempotent).

    Covers the pool workers (forked by the fork server, which installs the hook) and Whoosh's
    multi-process writer (forked by the build thread).
    """
    global _hook_installed
    if _hook_installed:
        return
    os.register_at_fork(before=_remember_forking_pid, after_in_child=die_with_parent)
    _hook_installed = True


def _has_real_fd(stream: object) -> bool:
    try:
        fd: int = stream.fileno()  # type: ignore[attr-defined]
        os.fstat(fd)
    except (AttributeError, OSError, ValueError):
        return False
    return fd >= 0


@contextmanager
def _stderr_with_fd() -> Iterator[None]:
    """``sys.stderr`` replaced by ``/dev/null`` while helpers start, if it has no file number.

    Under Textual the real stderr is the terminal the app draws on: helper messages would
    garble the screen, so they go nowhere rather than there.
    """
    if _has_real_fd(sys.stderr):
        yield
        return
    with open(os.devnull, "w", encoding="utf-8") as null:
        saved, sys.stderr = sys.stderr, null
        try:
            yield
        finally:
            sys.stderr = saved


def _worker_start(cache_folder: Path | None) -> None:
    # Ctrl+C in a terminal reaches the whole process group: the program stops the build;
    # workers that raised KeyboardInterrupt as well would only add tracebacks.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gazcache.use_folder(cache_folder)  # the program's, read from its Settings


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool that can be started from any thread of the app or the CLI."""
    install_fork_hook()
    context = get_context("forkserver")
    with _start_lock, _stderr_with_fd():
        # The guard makes the fork server die with this process, and its children with it
        # (see the module docstring); the analysis modules are imported once, not per worker.
        # Not "__main__" (the default): a script without a main guard would run again there.
        context.set_forkserver_preload(
            ["index.build._forkserver_guard", "index.build.builder", *ANALYSIS]
        )
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    return ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_worker_start,
        initargs=(gazcache.cache_folder(),),
    )
