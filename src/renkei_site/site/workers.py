"""Render the page plan on every core: this process and forked workers each take pages in turn.

The build has loaded the data, worked out what pages share and compiled the
templates (site/render.py ``site_renderer``).  With ``jobs`` > 1 it forks
``jobs - 1`` workers, which have all of that without copying or pickling, and
renders too: every process takes the next page of the plan from a shared
counter, renders it and stores it through the writer (site/write.py: a new file
of the generation, or a hard link to the unchanged one).  A worker reports what
it stored when it is done, and this process books it for the manifest.  Which
process makes which page changes nothing in the output: a page's bytes depend
only on the page.

A page that fails stops the build: the workers are stopped, RenderError carries
the page and the traceback, and the writer throws the generation away.  A worker
that dies stops the build the same way; a worker dies with this process (Linux:
PR_SET_PDEATHSIG; elsewhere it notices before its next page).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator

from .. import reads
from ..faults import checkpoint
from ..forks import ChildError, can_fork, die_with, failure
from .plan import Page
from .write import SiteWriter

Render = Callable[[Page], bytes]
Done = Callable[[int], None]  # told how many pages have been taken so far
Stored = tuple[str, str, bool, tuple[str, ...]]  # path, digest, hard-linked, what the page read (reads.py)


class RenderError(ChildError):
    """A page could not be rendered, or a worker stopped: the build is abandoned."""


def render_pages(plan: list[Page], render: Render, writer: SiteWriter, jobs: int, done: Done) -> None:
    """Render and store every page of the plan with ``jobs`` processes (1: only this one, and an
    exception raised as it is, for debugging).  Call it with the collector frozen (gc.freeze):
    the workers then leave what they inherit unwritten, and so shared with this process."""
    writer.check(page.path for page in plan)  # every path, before any file is written
    if min(jobs, len(plan)) <= 1 or not can_fork():
        for number, page in enumerate(plan, start=1):
            checkpoint("render-page")
            with reads.recording() as atoms:
                data = render(page)
            writer.record(page.path, *writer.store(page.path, data), tuple(sorted(atoms)))
            done(number)
        return
    context = multiprocessing.get_context("fork")
    counter, lock = context.RawValue("q", 0), context.Lock()
    workers: dict = {}
    try:
        for _ in range(min(jobs, len(plan)) - 1):
            receive, send = context.Pipe(duplex=False)
            others = list(workers)  # the earlier workers' ends, which this one must not hold open
            process = context.Process(
                target=_worker, args=(plan, render, writer, counter, lock, send, others, os.getpid()), daemon=True
            )
            process.start()
            send.close()  # so that the worker's death reads as end of input here
            workers[receive] = process
        for page in _taken(plan, counter, lock):
            _collect(workers, writer, wait=False)  # a failed worker stops the build at once
            checkpoint("render-page")
            data, atoms = _rendered(render, page)
            writer.record(page.path, *writer.store(page.path, data), atoms)
            done(counter.value)
        _collect(workers, writer, wait=True)
    finally:
        for connection, process in workers.items():  # only after a failure
            process.kill()
            process.join()
            connection.close()


def _taken(plan: list[Page], counter, lock) -> Iterator[Page]:
    """The pages this process takes from the shared counter, one at a time, until none is left."""
    while True:
        with lock:
            index = counter.value
            counter.value = index + 1
        if index >= len(plan):
            return
        yield plan[index]


def _rendered(render: Render, page: Page) -> tuple[bytes, tuple[str, ...]]:
    """The page's bytes and what it read."""
    try:
        with reads.recording() as atoms:
            data = render(page)
    except Exception:
        raise RenderError(failure(f"could not render {page.path}")) from None
    return data, tuple(sorted(atoms))


def _collect(workers: dict, writer: SiteWriter, wait: bool) -> None:
    """Book the reports of the workers that are done (with ``wait``, of all); raise when one
    failed or died."""
    for connection in [c for c in workers if wait or c.poll()]:
        try:
            report: list[Stored] | str = connection.recv()
        except EOFError:
            process = workers[connection]
            process.join()
            raise RenderError(f"a render worker stopped before it finished (exit code {process.exitcode})") from None
        if isinstance(report, str):
            raise RenderError(report)
        for stored in report:
            writer.record(*stored)
        workers.pop(connection).join()
        connection.close()


def _worker(plan: list[Page], render: Render, writer: SiteWriter, counter, lock, connection, others, parent: int):
    """A forked worker: take pages until the plan is done, then report what was stored."""
    die_with(parent)
    for other in others:
        other.close()
    report: list[Stored] = []
    page = None
    try:
        for page in _taken(plan, counter, lock):
            if os.getppid() != parent:
                os._exit(1)  # the parent is gone (where the kernel does not say so)
            checkpoint("worker-page")
            with reads.recording() as atoms:
                data = render(page)
            report.append((page.path, *writer.store(page.path, data), tuple(sorted(atoms))))
    except Exception:
        connection.send(failure(f"could not render {page.path}" if page else "a render worker failed"))
        return
    connection.send(report)
