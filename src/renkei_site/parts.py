"""Parts of big files kept between builds: what a download or the search index makes of the
projects, kept so that a note edited makes only the note's share again.

A big file that carries notes (catalogue.sqlite, projects.xlsx, the search index …) is made
in two steps: a *part* that reads no note and no page text (the projects, their partners, the
counts), then the notes put into it.  ``Parts.made(name, make)`` returns the part: kept from an
earlier build when the key is the same, else made now and kept.  The key is the build's digest
of every input but the notes and the pages' texts (site/depends.py ``part_key``: the whole and
every project's wording), so a kept part is always the part a fresh build would make.  A full
build makes every part the same way, from the same function, so an incremental build and a
fresh one give the same bytes.

What a part read is kept with it and read again when it is taken from the store (reads.py),
so the page that used it still depends on the projects' wording it showed.  A part that reads
a note or a page text is a mistake of the code (it would be stale after an edit): it raises.

The store is a folder in the build cache (``<out>.cache/parts/``), one pickle per part,
written atomically (every process of a build may make one); parts of another key are removed
when a build starts (``Parts.tidy``).  No folder (tests, ``export``, the floor): every part is
made each time.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from . import cache, reads

FORMAT = "1"
T = TypeVar("T")


class PartReadNote(RuntimeError):
    """A part read what it must not: a note or a page's text."""


@dataclass(frozen=True)
class Parts:
    folder: Path | None = None  # None: nothing kept
    key: str = ""  # the digest of every input but notes and page texts (depends.part_key)

    def made(self, name: str, make: Callable[[], T]) -> T:
        """The part ``name``: kept under this key, or made by ``make`` (and kept)."""
        path = self._path(name)
        if path is not None:
            kept = cache.load_pickle(path, f"{FORMAT}\0{self.key}\0{name}")
            if kept is not None:
                value, atoms = kept
                for atom in atoms:
                    reads.read(atom)
                return value
        with reads.recording() as atoms:
            value = make()
        stray = sorted(a for a in atoms if not a.startswith("project:"))
        if stray:
            raise PartReadNote(f"the part {name!r} read {stray[0]}: a part must read no note or page text")
        for atom in atoms:
            reads.read(atom)
        if path is not None:
            cache.store_pickle(path, f"{FORMAT}\0{self.key}\0{name}", (value, tuple(sorted(atoms))))
        return value

    def tidy(self) -> None:
        """Remove the parts kept under another key (called once, before a build renders)."""
        if self.folder is None or not self.folder.is_dir():
            return
        mine = self._prefix()
        for entry in os.scandir(self.folder):
            if not entry.name.startswith(mine):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)

    def _prefix(self) -> str:
        return hashlib.sha256(self.key.encode()).hexdigest()[:16] + "-"

    def _path(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        return self.folder / (self._prefix() + hashlib.sha256(name.encode()).hexdigest()[:24] + ".pickle")


NO_PARTS = Parts()
