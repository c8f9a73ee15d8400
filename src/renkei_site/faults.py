"""Fault injection for the kill tests.

``RENKEI_SITE_KILL_AT=<point>[:<n>]`` makes the process SIGKILL itself the n-th
time (default: first) it reaches ``checkpoint(<point>)``.  Unset, a checkpoint
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

_SPEC = os.environ.get("RENKEI_SITE_KILL_AT", "")
_POINT, _, _NTH = _SPEC.partition(":")
_seen = 0


def checkpoint(point: str) -> None:
    global _seen
    if not _SPEC or point != _POINT:
        return
    _seen += 1
    if _seen >= int(_NTH or 1):
        os.kill(os.getpid(), signal.SIGKILL)
