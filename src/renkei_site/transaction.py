"""An import is one transaction over every file it changes in data/: all of it or none.

The import stages each new file in full (written and flushed to disk) under a
hidden name beside its place, ``.<name>.import-<pid>`` (a new year: the whole
folder, ``.<year>.import-<pid>/``).  Then the journal ``data/.import-journal.json``,
which lists every rename and removal, is put in place by one atomic rename: the
moment the import takes effect.  The renames follow, and the journal is deleted.

Killed before the journal is in place, an import leaves only hidden files, which
the next writer deletes (``recover``: none of it happened); killed after, the
next command that reads or writes data/ makes the renames the journal lists
before anything else (all of it happened).  Only one process at a time may stage
or recover (pipeline holds data/'s lock, locks.py).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .faults import checkpoint
from .forks import PlainError, cannot

JOURNAL = ".import-journal.json"
STAGED = ".import-"  # in the hidden name of a staged file or folder


class StagingError(PlainError):
    """A file of the import could not be written: nothing of it took effect."""


def pending(root: Path) -> bool:
    """Whether an import took effect and was stopped before it had made all its renames."""
    return (root / JOURNAL).is_file()


class Transaction:
    """The files one import changes under ``root`` (data/), staged until ``commit``."""

    def __init__(self, root: Path):
        self.root = root
        self.tag = f"{STAGED}{os.getpid()}"
        self.moves: dict[str, str] = {}  # hidden path -> its place, both relative to root
        self.removals: list[str] = []
        self.scratches: list[Path] = []

    def put(self, relative: str, data: bytes) -> None:
        """Stage the new bytes of ``root/relative`` (its folder is made, hidden, if it is new)."""
        self.write(relative, (data,))

    def write(self, relative: str, chunks: Iterable[bytes]) -> Path:
        """Stage ``root/relative`` from its bytes in ``chunks``, written as they come (a large file
        is never held whole); the staged file's path, to read it back before ``commit``."""
        parts = PurePosixPath(relative).parts
        new = next((n for n in range(1, len(parts)) if not (self.root / Path(*parts[:n])).is_dir()), None)
        cut = len(parts) - 1 if new is None else new - 1  # the part staged under a hidden name
        hidden = PurePosixPath(*parts[:cut], f".{parts[cut]}{self.tag}", *parts[cut + 1 :])
        self.moves[str(PurePosixPath(*hidden.parts[: cut + 1]))] = str(PurePosixPath(*parts[: cut + 1]))
        path = self.root / hidden
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            checkpoint("import-write")  # where a test makes the disk full
            _durable_write(path, chunks)
        except OSError as error:
            self.abandon()
            raise StagingError(cannot("write", self.root / relative, error, f"{self.root} is as it was")) from None
        return path

    def scratch(self, name: str) -> Path:
        """A hidden file under ``root`` for work in progress (a part of a staged file), deleted by
        ``abandon`` or, after a kill, by ``recover``; its user deletes it when done."""
        path = self.root / f".{name}{self.tag}"
        self.scratches.append(path)
        return path

    def remove(self, relative: str) -> None:
        """Delete ``root/relative`` when the import takes effect."""
        self.removals.append(relative)

    def commit(self) -> None:
        """Make every staged change at once: the journal's rename is the moment it takes effect."""
        journal = self.root / JOURNAL
        temporary = self.root / f"{JOURNAL}{self.tag}"
        text = json.dumps({"moves": sorted(self.moves.items()), "removals": self.removals}, ensure_ascii=False)
        try:
            checkpoint("import-write")
            _durable_write(temporary, (text.encode("utf-8"),))
            os.replace(temporary, journal)
        except BaseException as error:
            temporary.unlink(missing_ok=True)
            self.abandon()
            if isinstance(error, OSError):
                raise StagingError(cannot("write", journal, error, f"{self.root} is as it was")) from None
            raise
        _sync_folder(self.root)
        checkpoint("import-commit")
        complete(self.root)

    def abandon(self) -> None:
        """Throw away what was staged (an import that failed before it took effect)."""
        for hidden in self.moves:
            _delete(self.root / hidden)
        for path in self.scratches:
            path.unlink(missing_ok=True)


def recover(root: Path) -> None:
    """Finish an import that took effect, or remove what one that did not staged."""
    if pending(root):
        complete(root)
    else:
        for leftover in [*root.glob(f".*{STAGED}*"), *root.glob(f"*/.*{STAGED}*")]:
            _delete(leftover)


def complete(root: Path) -> None:
    """Make the renames and removals the journal lists (those not made yet), then delete it."""
    journal = root / JOURNAL
    plan = json.loads(journal.read_text(encoding="utf-8"))
    for hidden, place in plan["moves"]:
        if (root / hidden).exists():
            os.replace(root / hidden, root / place)
            checkpoint("import-apply")
    for relative in plan["removals"]:
        (root / relative).unlink(missing_ok=True)
    journal.unlink()
    checkpoint("import-done")


def _durable_write(path: Path, chunks: Iterable[bytes]) -> None:
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())


def _delete(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system lets a folder be opened)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
