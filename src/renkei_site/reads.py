"""What a page read: the inputs a build can follow one by one, recorded while the page renders.

Most inputs of a page (the code, the templates, the reference data, the records) are vouched
for as one whole (site/depends.py: the build's *global* digest).  The inputs an editor changes
most — each note (data/notes/…), each Markdown page's text (data/pages/…) and each project's
wording (its description, remarks, partner cells, raw cells and source lines: records.py
``FOLLOWED``) — are *atoms*: the code that reads one names it here (notes.Notes does; a
project's followed fields do it themselves: ``follow``), and the build keeps, for every page,
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


def follow(cls: type, names: tuple[str, ...], atom_of) -> None:
    """Make each read of the named fields of ``cls`` (a dataclass with slots) a recorded read of
    ``atom_of(instance)``: every read, whichever code makes it (a template, a feed, a download),
    is seen — nothing need remember to say so.  Stores go to the slot as before."""
    for name in names:
        slot = cls.__dict__[name]  # the slot's member descriptor

        def get(instance, slot=slot):
            if _recording is not None:
                _recording.add(atom_of(instance))
            return slot.__get__(instance, cls)

        setattr(cls, name, property(get, slot.__set__, slot.__delete__, f"{name} (a followed read: reads.py)"))


def note_atom(kind: str, key: str) -> str:
    return f"note:{kind}/{key}"


def page_atom(name: str) -> str:
    return f"page:{name}"


def project_atom(key: str) -> str:
    return f"project:{key}"
