"""What a page read: the inputs a build can follow one by one, recorded while the page renders.

Most inputs of a page (the code, the templates, the reference data, the records) are vouched
for as one whole (site/depends.py: the build's *global* digest).  The inputs an editor changes
most — each note (data/notes/…) and each Markdown page's text (data/pages/…) — are *atoms*:
the code that reads one names it here (notes.Notes does), and the build keeps, for every page,
the atoms it read, so that a changed note re-renders only the pages that read it.

A read outside any recording (the import, `check`, a test) records nothing.  One page renders
at a time in a process (site/workers.py), so one recording at a time is enough.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

_recording: set[str] | None = None


def read(atom: str) -> None:
    """Note that the page being rendered read ``atom`` (whether or not it exists: a note added
    later must reach the pages that looked for it)."""
    if _recording is not None:
        _recording.add(atom)


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect the atoms read inside; yields the set being filled."""
    global _recording
    outer, _recording = _recording, set()
    try:
        yield _recording
    finally:
        _recording = outer


def note_atom(kind: str, key: str) -> str:
    return f"note:{kind}/{key}"


def page_atom(name: str) -> str:
    return f"page:{name}"
