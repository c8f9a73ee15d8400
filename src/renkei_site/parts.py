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

A part whose file can give it back is kept not whole but *beside the file it became*
(``Parts.made_beside``, a ``Beside`` saying what to record and how to recover): catalogue.sqlite
as the blocks in which it differs from its file (``made_in_place``: the notes go into some of
its pages), the woven files (site/exports/woven.py) as the lengths of their segments and of the
notes between them.  The next build reads that file from the site, checks it is still those
bytes (its digest), gets the part back and checks the part's digest.  A build of 10,000
projects then writes under a megabyte to the store for these, not the 73 MB of a second copy
(a new file costs the kernel about 3–9 ms a megabyte on this project's machines).  When the
site's file is not those bytes (another build, a file changed by hand) the part is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from . import cache, reads

FORMAT = "1"
BLOCK = 4096  # the unit in which a part kept in place differs from its file (catalogue.sqlite's page size)
T = TypeVar("T")


class PartReadNote(RuntimeError):
    """A part read what it must not: a note or a page's text."""


@dataclass(frozen=True)
class Parts:
    folder: Path | None = None  # None: nothing kept
    key: str = ""  # the digest of every input but notes and page texts (depends.part_key)
    site: Path | None = None  # the site (``<out>``, the link to its generation): where parts kept in place are

    def made(self, name: str, make: Callable[[], T]) -> T:
        """The part ``name``: kept under this key, or made by ``make`` (and kept)."""
        path = self._path(name)
        if path is not None:
            kept = cache.load_pickle(path, self._tag(name))
            if kept is not None:
                value, atoms = kept
                _read_again(atoms)
                return value
        value, atoms = _made(name, make)
        if path is not None:
            cache.store_pickle(path, self._tag(name), (value, atoms))
        return value

    def made_in_place(
        self, name: str, site_path: str, make: Callable[[], bytes], finish: Callable[[bytes], bytes]
    ) -> bytes:
        """``finish(part)`` for the part ``name`` (made by ``make``), a file that ``finish`` changes
        in place and the build writes at ``site_path``: the part is kept as the blocks in which it
        differs from that file, and taken from the site's file while it has those bytes."""
        return self.made_beside(name, site_path, make, finish, IN_PLACE)

    def made_beside(self, name: str, site_path: str, make: Callable[[], T], finish: Callable[[T], bytes], how: Beside):
        """``finish(part)`` for the part ``name`` (made by ``make``), the file the build writes at
        ``site_path``: the part is kept as ``how`` records it beside that file, and taken from the
        site's file while it has the bytes it had when the part was kept."""
        path = self._path(name) if self.site is not None else None
        kept = self._kept_beside(path, name, site_path, how) if path is not None else None
        if kept is not None:
            part, atoms, was, digest = kept
            _read_again(atoms)
        else:
            (part, atoms), was, digest = _made(name, make), None, None
        final = finish(part)
        if path is not None and (became := _digest(final)) != was:
            kept_as = (became, digest or how.digest(part), how.record(part, final), atoms)
            cache.store_pickle(path, self._tag(name, how.name), kept_as)
        return final

    def _kept_beside(self, path: Path, name: str, site_path: str, how: Beside) -> tuple | None:
        """(the part, what it read, the digest of the site's file it was taken from, the part's
        digest), or None."""
        kept = cache.load_pickle(path, self._tag(name, how.name))
        if kept is None:
            return None
        became, digest, record, atoms = kept
        try:
            with open(self.site / site_path, "rb") as handle, _mapped(handle) as data:
                if _digest(data) != became:
                    return None  # not the file this part became
                part = how.recover(data, record)
        except (OSError, ValueError):  # UnicodeDecodeError too
            return None
        return (part, atoms, became, digest) if how.digest(part) == digest else None

    def _tag(self, name: str, form: str = "whole") -> str:
        return f"{FORMAT}\0{self.key}\0{name}\0{form}"

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


@dataclass(frozen=True)
class Beside:
    """How a part is kept beside the file it became: what to record of it (``record(part,
    file)``, small), how to get it back from the file (``recover(file, record)``, raising
    ValueError when it cannot), and its digest (checked after recovering)."""

    name: str
    record: Callable[[Any, bytes], Any]
    recover: Callable[[bytes, Any], Any]
    digest: Callable[[Any], str]


def _made(name: str, make: Callable[[], T]) -> tuple[T, tuple[str, ...]]:
    """What ``make`` makes and what it read, which must be no note and no page text."""
    with reads.recording() as atoms:
        value = make()
    stray = sorted(a for a in atoms if not a.startswith("project:"))
    if stray:
        raise PartReadNote(f"the part {name!r} read {stray[0]}: a part must read no note or page text")
    _read_again(atoms)
    return value, tuple(sorted(atoms))


def _read_again(atoms) -> None:
    """Tell the page being made what its part read (reads.py)."""
    for atom in atoms:
        reads.read(atom)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def differing_blocks(part: bytes, became: bytes) -> dict[int, bytes]:
    """The blocks of ``part`` (by offset) that ``became`` has not at the same offset."""
    return {
        start: part[start : start + BLOCK]
        for start in range(0, len(part), BLOCK)
        if part[start : start + BLOCK] != became[start : start + BLOCK]
    }


@contextlib.contextmanager
def _mapped(handle) -> Iterator[bytes]:
    """The file's bytes, mapped (not read: a database is read once, into the part put back)."""
    if os.fstat(handle.fileno()).st_size == 0:
        yield b""  # an empty file cannot be mapped
        return
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        yield mapped


def patched(became, length: int, blocks: dict[int, bytes]) -> bytearray:
    """The part that ``became`` (bytes or a mapped file) was made from: its first ``length``
    bytes with ``blocks`` put back (``differing_blocks``: every block past the end of
    ``became`` is among them).  A bytearray, copied once: SQLite and the writer take it."""
    out = bytearray(memoryview(became)[:length])
    for start, block in sorted(blocks.items()):  # in order: those past the end of ``became`` extend it
        out[start : start + len(block)] = block
    return out


IN_PLACE = Beside(
    "in place",
    lambda part, became: (len(part), differing_blocks(part, became)),
    lambda became, record: patched(became, *record),
    _digest,
)
NO_PARTS = Parts()
