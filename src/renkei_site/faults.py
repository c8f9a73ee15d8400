"""Fault injection for the kill tests.

``RENKEI_SITE_KILL_AT=<point>[:<n>]`` makes the process SIGKILL itself the n-th
time (default: first) it reaches ``checkpoint(<point>)``; ``RENKEI_SITE_HANG_AT=<point>``
makes it sleep there for an hour (a worker that hangs: does it die with the build?).
Unset, a checkpoint costs one comparison.
"""

from __future__ import annotations

import os
import signal
import time

_SPEC = os.environ.get("RENKEI_SITE_KILL_AT", "")
_POINT, _, _NTH = _SPEC.partition(":")
_HANG = os.environ.get("RENKEI_SITE_HANG_AT", "")
_seen = 0


def checkpoint(point: str) -> None:
    global _seen
    if _HANG and point == _HANG:
        time.sleep(3600)
    if not _SPEC or point != _POINT:
        return
    _seen += 1
    if _seen >= int(_NTH or 1):
        os.kill(os.getpid(), signal.SIGKILL)
