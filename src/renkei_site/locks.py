"""One writer at a time: a lock file per output folder and per data folder, naming its holder.

``build`` holds ``.<out>.lock`` beside its output folder (``._site.lock``) from the
moment it compares its inputs with the last build's until the new generation is
in place, and reads data/ under a shared hold of ``data/.lock``; ``import`` holds
``data/.lock`` alone.  A second writer waits for the first (saying once who it
waits for), for up to ``$RENKEI_SITE_LOCK_WAIT`` seconds (default 600; 0: not at
all), then stops with one line naming the holder.

The lock is the kernel's (``flock``) on the open file: a process killed at any
point holds nothing, so a lock file left behind (its PID dead) is stale by
construction and simply taken.  The file's text (``build pid 1234 since …``) only
says who holds it.  Processes forked by the holder (render workers, name readers)
share its hold and die with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: no locking (one writer at a time is then the user's care)
    fcntl = None  # type: ignore[assignment]

WAIT_VARIABLE = "RENKEI_SITE_LOCK_WAIT"
DEFAULT_WAIT = 600.0
POLL = 0.05
_held: dict[str, bool] = {}  # lock file -> exclusive, for the holds of this process (nested holds are free)


class Busy(Exception):
    """Another process holds the lock and did not let go in time: the message says who."""


def out_lock(out: Path) -> Path:
    """The lock of an output folder: hidden, beside it (the folder itself is a symlink that is swapped)."""
    return out.parent / f".{out.name}.lock"


def data_lock(data_dir: Path) -> Path:
    return data_dir / ".lock"


def tell_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_limit() -> float:
    value = os.environ.get(WAIT_VARIABLE, "").strip()
    return float(value) if value else DEFAULT_WAIT


@contextlib.contextmanager
def held(
    path: Path, what: str, guarded: str, exclusive: bool = True, tell: Callable[[str], None] = tell_stderr
) -> Iterator[None]:
    """Hold the lock file ``path`` of the folder ``guarded`` names (shared when not ``exclusive``)
    for ``what`` (build, import …)."""
    key = str(path.resolve())
    if key in _held and (_held[key] or not exclusive):
        yield  # this process holds it already (an import validating with load_years)
        return
    if fcntl is None:
        yield
        return
    try:
        if exclusive:
            path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        if exclusive:
            raise
        yield  # a folder it may not write in (read-only media) is read without a lock
        return
    try:
        _acquire(descriptor, path, guarded, exclusive, tell)
        _write_holder(descriptor, what)
        _held[key] = exclusive
        try:
            yield
        finally:
            del _held[key]
    finally:
        os.close(descriptor)  # releases the lock (and the forked children's share of it)


def _acquire(descriptor: int, path: Path, guarded: str, exclusive: bool, tell: Callable[[str], None]) -> None:
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    limit = wait_limit()
    started = time.monotonic()
    told = False
    while True:
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        holder = holder_of(path)
        waited = time.monotonic() - started
        if waited >= limit:
            raise Busy(
                f"{guarded} is in use by {holder} (lock {path}); waited {waited:.0f} s "
                f"(${WAIT_VARIABLE} sets how long): try again when it is done"
            )
        if not told:
            tell(f"waiting for {holder} to finish with {guarded}")
            told = True
        time.sleep(POLL)


def holder_of(path: Path) -> str:
    """What the lock file says of its holder (``build pid 1234 since 2026-12-01 12:00:00 UTC``)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "another process"


def _write_holder(descriptor: int, what: str) -> None:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    line = f"{what} pid {os.getpid()} since {stamp}\n".encode()
    with contextlib.suppress(OSError):  # who holds it is a courtesy; the hold is the kernel's
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, line, 0)
