"""The only code that writes the site: atomic and incremental at once.

Each build is a complete generation folder ``<out>.gens/gN``; ``<out>`` is a
symlink to the current one, swapped with one atomic rename.  Files whose bytes
did not change are hard links to the previous generation's files (same inode,
same mtime: rsync moves nothing), and when nothing changed at all no file is
touched.  A build killed at any point leaves ``<out>`` pointing at the last
complete generation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .faults import checkpoint

MANIFEST = ".manifest.json"


class WriteError(Exception):
    """A page path that must not be written."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    linked: int
    removed: int
    unchanged: bool
    generation: str


def check_paths(paths: list[str]) -> None:
    """Refuse paths outside the output folder and two pages on one file."""
    seen: dict[str, str] = {}
    for path in paths:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or "\\" in path or "\0" in path:
            raise WriteError(f"refusing to write outside the output folder: {path!r}")
        if str(pure) != path or path.endswith("/"):
            raise WriteError(f"page path is not normalised: {path!r}")
        key = path.casefold()
        if key in seen:
            raise WriteError(f"two pages map to one file: {seen[key]!r} and {path!r}")
        seen[key] = path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_generation(out: Path) -> Path | None:
    if out.is_symlink():
        target = out.parent / os.readlink(out)
        return target if target.is_dir() else None
    return out if out.is_dir() else None


def read_manifest(folder: Path | None) -> dict[str, str]:
    if folder is None:
        return {}
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_site(pages: dict[str, bytes], out: Path) -> WriteReport:
    """Write ``pages`` ({relative path: bytes}) as the new content of ``out``."""
    check_paths(list(pages))
    hashes = {path: digest(data) for path, data in pages.items()}
    previous = current_generation(out)
    old = read_manifest(previous)
    if previous is not None and old == hashes and out.is_symlink():
        return WriteReport(0, 0, 0, True, previous.name)
    gens = out.parent / f"{out.name}.gens"
    gens.mkdir(parents=True, exist_ok=True)
    number = 1 + max((int(p.name[1:]) for p in gens.glob("g*") if p.name[1:].isdigit()), default=0)
    staging = gens / f"g{number}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    written = linked = 0
    made: set[Path] = set()
    for path in sorted(pages):
        target = staging / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if previous is not None and old.get(path) == hashes[path] and _link(previous / path, target):
            linked += 1
        else:
            target.write_bytes(pages[path])
            written += 1
        checkpoint("write-file")
    (staging / MANIFEST).write_text(json.dumps(hashes, sort_keys=True, indent=0), encoding="utf-8")
    checkpoint("manifest")
    final = gens / f"g{number}"
    staging.rename(final)
    checkpoint("generation")
    _swap_link(out, final)
    checkpoint("swap")
    removed = len(set(old) - set(hashes))
    _remove_old(gens, keep=final, legacy=previous if previous == out else None)
    return WriteReport(written, linked, removed, False, final.name)


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        return False


def _swap_link(out: Path, final: Path) -> None:
    if out.exists() and not out.is_symlink():
        # A plain folder from elsewhere: keep it as a generation, then point at the new one.
        out.rename(final.parent / f"g0-legacy-{os.getpid()}")
    temporary = out.parent / f".{out.name}.link-{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(os.path.relpath(final, out.parent), temporary)
    os.replace(temporary, out)


def _remove_old(gens: Path, keep: Path, legacy: Path | None) -> None:
    for folder in sorted(gens.iterdir()):
        if folder != keep:
            shutil.rmtree(folder, ignore_errors=True)
            checkpoint("cleanup")
