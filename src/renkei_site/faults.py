"""Fault injection for the kill and failure tests.

``RENKEI_SITE_KILL_AT=<point>[:<n>]`` makes the process SIGKILL itself the n-th
time (default: first) it reaches ``checkpoint(<point>)``; ``RENKEI_SITE_HANG_AT=<point>``
makes it sleep there for an hour (a worker that hangs: does it die with the build?);
``RENKEI_SITE_FAIL_AT=<point>[:<n>]`` makes the checkpoint raise the OSError a full disk
gives (``ENOSPC``; ``RENKEI_SITE_FAIL_ERRNO=EACCES`` … for another) from the n-th time on,
as a disk that is full stays full.  The checkpoints that may fail so sit just before a
real write, inside the code that handles its errors.  Unset, a checkpoint costs one
comparison.
"""

from __future__ import annotations

import errno
import os
import signal
import time

_SPEC = os.environ.get("RENKEI_SITE_KILL_AT", "")
_POINT, _, _NTH = _SPEC.partition(":")
_HANG = os.environ.get("RENKEI_SITE_HANG_AT", "")
_FAIL = os.environ.get("RENKEI_SITE_FAIL_AT", "")
_FAIL_POINT, _, _FAIL_NTH = _FAIL.partition(":")
_FAIL_ERRNO = getattr(errno, os.environ.get("RENKEI_SITE_FAIL_ERRNO", "ENOSPC"), errno.ENOSPC)
_seen = 0
_failing = 0


def checkpoint(point: str) -> None:
    global _seen, _failing
    if _HANG and point == _HANG:
        time.sleep(3600)
    if _FAIL and point == _FAIL_POINT:
        _failing += 1
        if _failing >= int(_FAIL_NTH or 1):
            raise OSError(_FAIL_ERRNO, os.strerror(_FAIL_ERRNO))
    if not _SPEC or point != _POINT:
        return
    _seen += 1
    if _seen >= int(_NTH or 1):
        os.kill(os.getpid(), signal.SIGKILL)
