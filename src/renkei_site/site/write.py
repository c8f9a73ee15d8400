"""The only code that writes the site: atomic, and in proportion to what changed.

Each build is a complete generation folder ``<out>.gens/gN``; ``<out>`` is a
symlink to the current one, swapped with one atomic rename.  The generation
before the current one is kept as the *spare*: the next build renames it to its
new ``.partial`` folder and brings it up to date file by file — a file whose
bytes the spare already has is left alone, one the current site has is a hard
link to it (same inode, same mtime: rsync moves nothing), only new bytes are
written, each through a temporary file and a rename (the spare shares inodes
with the live site: nothing is ever written into an existing file).  So a
build costs system calls for what changed since the spare, not for every page
(creating a file costs ~0.4 ms on a slow disk).  Without a spare (the first
builds) a generation is made whole, unchanged files hard-linked.  When nothing
changed no file of the live site is touched.  A build killed at any point leaves
``<out>`` pointing at the last complete generation (a half-updated spare is a
``.partial`` folder the next build removes); one that cannot write (a full disk,
a folder it may not write in) stops with one line naming the file, throws the
new generation away and leaves ``<out>`` as it was.  Only one build at a time
writes into one ``<out>`` (pipeline.build holds its lock, locks.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..cache import read_json
from ..faults import checkpoint
from ..forks import PlainError, cannot

MANIFEST = ".manifest.json"
GENERATION = re.compile(r"g(\d+)")


class WriteError(PlainError):
    """A page path that must not be written, or a file that could not be written."""


def unwritable(action: str, path: str | Path, error: OSError) -> WriteError:
    """One line for an OSError while writing the site: what, where, why."""
    return WriteError(cannot(action, path, error, "the site is as it was"))


@dataclass(frozen=True)
class WriteReport:
    written: int
    linked: int
    removed: int
    unchanged: bool
    generation: str


class PathGuard:
    """Refuses paths outside the output folder and two pages on one file, one path at a time."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def check(self, path: str) -> None:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path or "\0" in path:
            raise WriteError(f"refusing to write outside the output folder: {path!r}")
        if str(pure) != path or path.endswith("/"):
            raise WriteError(f"page path is not normalised: {path!r}")
        key = path.casefold()
        if key in self.seen:
            raise WriteError(f"two pages map to one file: {self.seen[key]!r} and {path!r}")
        self.seen[key] = path


def manifest_text(hashes: dict[str, str]) -> str:
    """The manifest: json.dumps(hashes, sort_keys=True, indent=0), made faster (a build of one
    changed note writes it whole, 20,000 lines at 10,000 projects)."""
    if not hashes:
        return "{}"
    lines = [f"{json.dumps(path)}: {json.dumps(hashed)}" for path, hashed in sorted(hashes.items())]
    return "{\n" + ",\n".join(lines) + "\n}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_generation(out: Path) -> Path | None:
    if out.is_symlink():
        target = out.parent / os.readlink(out)
        return target if target.is_dir() else None
    return out if out.is_dir() else None


def read_manifest(folder: Path | None) -> dict[str, str]:
    return read_json(folder / MANIFEST) if folder is not None else {}


def store(
    staging: str, path: str, data: bytes | None, unchanged: str | None, made: set[str], over: bool = False
) -> bool:
    """Write one file of a generation (or hard-link the unchanged one); True when linked.
    ``data`` None: only the link (its bytes are read from ``unchanged`` if linking fails).
    ``over``: the file may exist (a spare being updated): write beside it and rename over it."""
    target = f"{staging}/{path}"
    try:
        checkpoint("store-file")  # where a test makes the disk full
        folder = os.path.dirname(target)
        if folder not in made:
            _folder(folder)
            made.add(folder)
        written = f"{folder}/.{os.path.basename(target)}.new" if over else target
        if over:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(written)  # left by a killed build
        linked = False
        if unchanged is not None:
            try:
                os.link(unchanged, written)
                linked = True
            except OSError:
                if data is None:
                    with open(unchanged, "rb") as handle:
                        data = handle.read()
        if not linked:
            _write_new(written, data or b"")
        if over:
            os.replace(written, target)
    except OSError as error:
        raise unwritable("write", target, error) from None
    return linked


def _folder(folder: str) -> None:
    """Make ``folder`` unless it is there: one mkdir where its parent is there already (as it is
    for most pages, their section made by an earlier one), else ``os.makedirs``."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def _write_new(target: str, data: bytes) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)


def remove(staging: Path, path: str) -> None:
    """Take a file out of a spare being updated, and the folders it leaves empty."""
    target = staging / path
    try:
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != staging and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError as error:
        raise unwritable("remove", target, error) from None


def next_number(gens: Path) -> int:
    """The number of a new generation: above any in ``gens``, whole, partial or legacy."""
    numbers = (int(m.group(1)) for p in gens.iterdir() if (m := GENERATION.match(p.name)))
    return 1 + max(numbers, default=0)


def find_spare(gens: Path, live: Path | None) -> tuple[Path, dict[str, str]] | tuple[None, dict]:
    """The newest complete generation other than the live one, with its manifest (a
    generation is complete once its manifest is in it and its folder lost ``.partial``)."""
    candidates = sorted(
        (int(m.group(1)), p) for p in gens.iterdir() if (m := GENERATION.fullmatch(p.name)) and p != live
    )
    for _, folder in reversed(candidates):
        manifest = read_manifest(folder)
        if manifest:
            return folder, manifest
    return None, {}


class SiteWriter:
    """Fills a new generation file by file as pages are made; ``finish`` makes it the site.

    Unchanged files become hard links to the previous generation's files.  Until
    ``finish`` swaps the link, ``out`` still shows the previous site; ``abort``
    (or a crash) leaves only a ``.partial`` folder that the next build removes.
    ``store`` puts one file on disk and may run in any process forked from the one
    that made the writer (the render workers, site/workers.py); ``record`` books it
    in the manifest, in that process.
    """

    def __init__(self, out: Path):
        self.out = out
        self.previous = current_generation(out)
        self.old = read_manifest(self.previous)
        self.gens = out.parent / f"{out.name}.gens"
        try:
            self.gens.mkdir(parents=True, exist_ok=True)
            self.number = next_number(self.gens)
            self.staging = self.gens / f"g{self.number}.partial"
            found, self.spare = find_spare(self.gens, self.previous) if self.old else (None, {})
            if found is not None:
                found.rename(self.staging)  # from here on, a .partial folder: complete only at finish
                (self.staging / MANIFEST).unlink(missing_ok=True)
            else:
                self.staging.mkdir()
        except OSError as error:
            raise unwritable("make a new generation in", self.gens, error) from None
        self.updating = found is not None
        self.guard = PathGuard()
        self.hashes: dict[str, str] = {}
        self.reads: dict[str, tuple[str, ...]] = {}  # page path -> the atoms it read (reads.py)
        self.written = self.linked = 0
        self.made: set[str] = set()

    def check(self, paths: Iterable[str]) -> None:
        """Refuse bad paths (outside the folder, two on one file) before any file is written."""
        for path in paths:
            self.guard.check(path)

    def store(self, path: str, data: bytes) -> tuple[str, bool]:
        """Put one checked file into the generation: (its digest, whether its bytes are those
        of the live site's file, which it then is or shares with the spare)."""
        return self._put(path, digest(data), data)

    def keep(self, path: str) -> tuple[str, bool]:
        """Put the live site's file, unchanged, into the generation (a page the build did not
        need to render again: site/depends.py)."""
        return self._put(path, self.old[path], None)

    def _put(self, path: str, hashed: str, data: bytes | None) -> tuple[str, bool]:
        same = self.previous is not None and self.old.get(path) == hashed
        if self.updating and self.spare.get(path) == hashed:
            return hashed, same  # the spare has these bytes already
        unchanged = str(self.previous / path) if same else None
        return hashed, store(str(self.staging), path, data, unchanged, self.made, over=self.updating) or same

    def record(self, path: str, hashed: str, linked: bool, read: tuple[str, ...] = ()) -> None:
        """Book a stored file for the manifest, with what its page read (reads.py)."""
        self.hashes[path] = hashed
        if read:
            self.reads[path] = tuple(map(sys.intern, read))  # one string per atom in the kept record
        if linked:
            self.linked += 1
        else:
            self.written += 1
        checkpoint("write-file")

    def add(self, path: str, data: bytes) -> None:
        """Check, store and record one file."""
        self.guard.check(path)
        self.record(path, *self.store(path, data))

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        """Leaving with an exception (a bad page, a failed render) throws the generation away."""
        if kind is not None:
            self.abort()

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def finish(self) -> WriteReport:
        unchanged = self.previous is not None and self.old == self.hashes and self.out.is_symlink()
        if unchanged and not self.updating:
            self.abort()  # same bytes everywhere: keep the current generation untouched
            _remove_old(
                self.gens, keep=(self.previous, find_spare(self.gens, self.previous)[0])
            )  # what killed builds left
            return WriteReport(0, 0, 0, True, self.previous.name)
        final = self.gens / f"g{self.number}"
        try:
            for path in sorted(set(self.spare) - set(self.hashes)):
                remove(self.staging, path)
            checkpoint("store-file")
            manifest = manifest_text(self.hashes)
            (self.staging / MANIFEST).write_text(manifest, encoding="utf-8")
            checkpoint("manifest")
            self.staging.rename(final)
            checkpoint("generation")
            if not unchanged:
                _swap_link(self.out, final)
        except OSError as error:
            self.abort()
            if current_generation(self.out) != final:
                shutil.rmtree(final, ignore_errors=True)
            raise unwritable("finish the new generation in", self.gens, error) from None
        if unchanged:  # the spare, brought up to date, stays the spare
            _remove_old(self.gens, keep=(self.previous, final))
            return WriteReport(0, 0, 0, True, self.previous.name)
        checkpoint("swap")
        removed = len(set(self.old) - set(self.hashes))
        _remove_old(self.gens, keep=(final, self.previous))  # the site before is the next build's spare
        return WriteReport(self.written, self.linked, removed, False, final.name)


def ready_spare(out: Path) -> str | None:
    """Give the live site a spare when it has none (a site built once): its files hard-linked
    into a complete generation of their own, the name of which is returned (None: there is a
    spare, or no site in generations).  This is what the next build would otherwise do for
    every file of the site before it could write the few that changed (``SiteWriter`` without
    a spare), done when nothing waits for it: ``serve`` calls it once its first build is
    served, so the first note an editor saves costs what every later one does.  No file is
    written into: the spare shares the live site's inodes, as a spare brought up to date does
    until a build writes a file beside one and renames it over."""
    live = current_generation(out)
    gens = out.parent / f"{out.name}.gens"
    manifest = read_manifest(live) if live is not None and out.is_symlink() and live.parent == gens else {}
    if not manifest or find_spare(gens, live)[0] is not None:
        return None
    number = next_number(gens)
    staging, made = gens / f"g{number}.partial", set()
    try:
        staging.mkdir()
        for path in sorted(manifest):
            store(str(staging), path, None, str(live / path), made)
        (staging / MANIFEST).write_text(manifest_text(manifest), encoding="utf-8")
        staging.rename(gens / f"g{number}")
    except (OSError, WriteError):
        shutil.rmtree(staging, ignore_errors=True)  # no spare: the next build makes its generation whole
        return None
    return f"g{number}"


def write_site(pages: dict[str, bytes], out: Path) -> WriteReport:
    """Write ``pages`` ({relative path: bytes}) as the new content of ``out``."""
    with SiteWriter(out) as writer:
        for path in sorted(pages):
            writer.add(path, pages[path])
    return writer.finish()


def _swap_link(out: Path, final: Path) -> None:
    if out.exists() and not out.is_symlink():
        # A plain folder from elsewhere: keep it as a generation, then point at the new one.
        out.rename(final.parent / f"g0-legacy-{os.getpid()}")
    temporary = out.parent / f".{out.name}.link-{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(os.path.relpath(final, out.parent), temporary)
    os.replace(temporary, out)


def _remove_old(gens: Path, keep: tuple[Path | None, ...]) -> None:
    """Every folder of ``gens`` but those kept (killed builds' partial folders, older generations).
    A complete generation is renamed first, so that one whose removal is killed half-way can
    never be taken for a spare (find_spare trusts a generation's manifest)."""
    for folder in sorted(gens.iterdir()):
        if folder not in keep:
            if GENERATION.fullmatch(folder.name):
                with contextlib.suppress(OSError):
                    folder = folder.rename(folder.with_name(f"{folder.name}.old"))
            shutil.rmtree(folder, ignore_errors=True)
            checkpoint("cleanup")
