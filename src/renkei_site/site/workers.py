"""Render the page plan on every core: forked workers each render and store a share of the pages.

The parent has loaded the data, worked out what pages share and compiled the
templates (site/render.py ``site_renderer``).  Each worker is forked from it, so
it has all of that without copying or pickling, and takes the next page of the
plan from a shared counter, renders it and stores it through the writer
(site/write.py: a new file of the generation, or a hard link to the unchanged
one).  It tells the parent what it stored, a batch at a time; the parent books
it for the manifest.  Which worker makes which page changes nothing in the
output: a page's bytes depend only on the page.

A page that fails stops the build: the parent stops the other workers and raises
RenderError with the worker's traceback, and the writer throws the generation
away.  A worker that dies stops the build the same way; a worker dies with its
parent (Linux: PR_SET_PDEATHSIG; elsewhere it notices at its next page).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable
from multiprocessing.connection import wait

from ..faults import checkpoint
from .render import Page
from .write import SiteWriter

JOBS_VARIABLE = "RENKEI_SITE_JOBS"  # the default of `build --jobs`
BATCH = 32  # pages a worker stores before it reports them
Render = Callable[[Page], bytes]
Done = Callable[[int], None]  # told how many files are stored so far


class RenderError(Exception):
    """A page could not be rendered, or a worker stopped: the build is abandoned."""


def default_jobs() -> int:
    """$RENKEI_SITE_JOBS, else the cores this process may run on."""
    value = os.environ.get(JOBS_VARIABLE, "")
    if value.strip():
        return max(1, int(value))
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def render_pages(plan: list[Page], render: Render, writer: SiteWriter, jobs: int, done: Done) -> None:
    """Render and store every page of the plan, with ``jobs`` processes (1: in this one).  Call it
    with the collector frozen (gc.freeze): the workers then leave what they inherit unwritten,
    and so shared with this process."""
    writer.check(page.path for page in plan)  # every path, before any file is written
    jobs = min(jobs, len(plan))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for page in plan:
            writer.record(page.path, *writer.store(page.path, render(page)))
            done(len(writer.hashes))
        return
    context = multiprocessing.get_context("fork")
    counter, lock = context.RawValue("q", 0), context.Lock()
    workers = {}
    try:
        for _ in range(jobs):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_work, args=(plan, render, writer, counter, lock, send, os.getpid()), daemon=True
            )
            process.start()
            send.close()  # so that a worker's death reads as end of input here
            workers[receive] = process
        while workers:
            for connection in wait(list(workers)):
                _receive(connection, workers, writer, done)
    finally:
        for connection, process in workers.items():  # only after a failure
            process.kill()
            process.join()
            connection.close()


def _receive(connection, workers: dict, writer: SiteWriter, done: Done) -> None:
    """Book what a worker reports; raise when it failed or died."""
    try:
        message = connection.recv()
    except EOFError:
        process = workers[connection]
        process.join()
        raise RenderError(f"a render worker stopped before it finished (exit code {process.exitcode})") from None
    if message is None:  # done
        workers.pop(connection).join()
        connection.close()
    elif isinstance(message, str):
        raise RenderError(message)
    else:
        for path, hashed, linked in message:
            writer.record(path, hashed, linked)
        done(len(writer.hashes))


def _work(plan: list[Page], render: Render, writer: SiteWriter, counter, lock, connection, parent: int) -> None:
    """A worker: take pages from the shared counter until the plan is done."""
    _die_with(parent)
    batch: list[tuple[str, str, bool]] = []
    page = None
    try:
        while True:
            with lock:
                index = counter.value
                counter.value = index + 1
            if index >= len(plan):
                break
            if os.getppid() != parent:
                os._exit(1)  # the parent is gone (where the kernel does not tell us)
            page = plan[index]
            checkpoint("render-page")
            batch.append((page.path, *writer.store(page.path, render(page))))
            if len(batch) >= BATCH:
                connection.send(batch)
                batch = []
        connection.send(batch)
        connection.send(None)
    except Exception:
        where = f"could not render {page.path}" if page else "a render worker failed"
        connection.send(f"{where}:\n{traceback.format_exc().rstrip()}")


def _die_with(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), and check it has not yet."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)
