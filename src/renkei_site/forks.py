"""Work shared with forked processes: how many, dying with the parent, and a map in shares.

A forked child has everything its parent had loaded, without copying or pickling
it; only what it sends back is pickled.  Where the platform cannot fork, all the
work is done in the calling process.
"""

from __future__ import annotations

import errno
import gc
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

JOBS_VARIABLE = "RENKEI_SITE_JOBS"  # the default of --jobs
Item = TypeVar("Item")
Result = TypeVar("Result")


class ChildError(Exception):
    """A forked process failed or died: the work is abandoned (the message says where and why)."""


def default_jobs() -> int:
    """$RENKEI_SITE_JOBS, else the cores this process may run on."""
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    if value:
        return max(1, int(value))
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def die_with(parent: int) -> None:
    """In a forked child: ask the kernel to kill it when its parent dies (Linux), and make sure
    the parent is still there."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)


class PlainError(Exception):
    """An error whose message says all there is to say (which file, what went wrong): reported
    from a forked process as one line, without a traceback."""


WHY = {  # what the system's words mean for the user
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
    errno.EROFS: "the file system is read-only",
}


def cannot(action: str, path: object, error: OSError, after: str = "") -> str:
    """One line for an OSError while writing: ``cannot write PATH: No space left on device (the
    disk is full)`` and what that left (``after``)."""
    why = f"{error.strerror or error}" + (f" ({WHY[error.errno]})" if error.errno in WHY else "")
    return f"cannot {action} {path}: {why}" + (f"; {after}" if after else "")


def failure(where: str) -> str:
    """What a child reports when it fails: where, and the traceback (a PlainError: its message)."""
    error = sys.exc_info()[1]
    if isinstance(error, PlainError):
        return f"{where}: {error}"
    return f"{where}:\n{traceback.format_exc().rstrip()}"


def forked_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> list[Result]:
    """``[function(item) for item in items]``, in that order, with ``jobs`` processes: this one and
    forked children, each taking a contiguous share.  Worth it only when the items are many and
    each costs far more than pickling its result."""
    jobs = min(jobs, len(items))
    if jobs <= 1 or not can_fork():
        return [function(item) for item in items]
    size = -(-len(items) // jobs)
    shares = [items[start : start + size] for start in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    children = []
    thawed = gc.get_freeze_count() == 0
    gc.freeze()  # no collection in a child writes to what it shares with this process (memory stays shared)
    try:
        for share in shares[1:]:
            receive, send = context.Pipe(duplex=False)
            others = [receive for _, receive in children]  # ends this child must not hold open
            child = context.Process(target=_map_share, args=(function, share, send, others, os.getpid()), daemon=True)
            child.start()
            send.close()  # so that the child's death reads as end of input here
            children.append((child, receive))
        results = [function(item) for item in shares[0]]
        for child, receive in children:
            try:
                answer = receive.recv()
            except EOFError:
                child.join()
                raise ChildError(f"a forked process stopped before it finished (exit code {child.exitcode})") from None
            if isinstance(answer, str):
                raise ChildError(answer)
            results += answer
        return results
    finally:
        if thawed:
            gc.unfreeze()
        for child, receive in children:
            child.kill()
            child.join()
            receive.close()


def _map_share(function: Callable, share: Sequence, connection, others: list, parent: int) -> None:
    die_with(parent)
    for other in others:
        other.close()
    try:
        answer: list | str = [function(item) for item in share]
    except Exception:
        answer = failure(f"{getattr(function, '__name__', 'a function')} failed in a forked process")
    connection.send(answer)
