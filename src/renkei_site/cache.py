"""The build cache beside the output (``_site.cache/``): never needed, always safe to delete.

It holds the fingerprint of the inputs of the last build: when nothing changed,
nothing is rendered (compiled templates outlive any one output folder:
site/environment.py ``template_cache``).  The helpers here also serve
``data/.cache/``, where records.py keeps each year's validated records.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

PACKAGE = Path(__file__).resolve().parent
FORMAT = "1"  # bump when what is stored here changes shape


def cache_dir(out: Path) -> Path:
    return out.parent / f"{out.name}.cache"


def previews_dir() -> Path:
    """Where link-preview images are kept by content (site/previews.py), for every build on the
    machine whatever its output folder, as compiled templates are: ``$RENKEI_SITE_CACHE``, else
    ``$XDG_CACHE_HOME`` or ``~/.cache``, under ``renkei-site/previews``.  An image's name is the
    digest of what it shows and of the code that draws it, so a kept image is always right."""
    base = os.environ.get("RENKEI_SITE_CACHE")
    if not base:
        base = str(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "renkei-site")
    return Path(base) / "previews"


def hidden(name: str) -> bool:
    """A file or folder no input fingerprint or watcher looks at (data/.cache/, locks, bytecode)."""
    return name.startswith(".") or name == "__pycache__"


def files_under(*folders: Path) -> list[Path]:
    """Every visible file under the folders, in a stable order (each folder's by path)."""
    found = []
    for folder in folders:
        files = []
        for top, dirs, names in os.walk(folder):
            dirs[:] = [d for d in dirs if not hidden(d)]
            files += [Path(top, name) for name in names if not hidden(name)]
        found += sorted(path for path in files if path.is_file())
    return found


def fingerprint(
    paths: Iterable[Path], *extra: str, code: Iterable[str] | None = None, known: dict | None = None
) -> str:
    """A digest of the files' names and bytes, of this code (or only the ``code`` modules named),
    and of ``extra``.  ``known``: path -> (size, mtime, digest) of files hashed before, kept by a
    process that fingerprints again and again (serve): a file whose size and mtime are those
    is not read again."""
    digest = hashlib.sha256(FORMAT.encode())
    modules = files_under(PACKAGE) if code is None else [PACKAGE / f"{name}.py" for name in code]
    for path in [*paths, *modules]:
        digest.update(str(path).encode() + b"\0" + _file_digest(path, known) + b"\0")
    for item in extra:
        digest.update(item.encode() + b"\0")
    return digest.hexdigest()


def _file_digest(path: Path, known: dict | None) -> bytes:
    if known is None:
        return hashlib.sha256(path.read_bytes()).digest()
    status = path.stat()
    stamp = (status.st_size, status.st_mtime_ns)
    if known.get(path, (None,))[:2] != stamp:
        known[path] = (*stamp, hashlib.sha256(path.read_bytes()).digest())
    return known[path][2]


def read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_atomic(path: Path, data: bytes) -> None:
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Put at ``path`` what ``write`` writes into an open file, whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            write(handle)
        os.replace(temporary, path)
    except BaseException:  # a full disk: no half-written file left behind
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection inside: loading a large catalogue makes a million objects and no
    garbage, and each collection would look at all of them again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def made_to_last() -> Iterator[None]:
    """``collector_paused``, and what was made inside kept out of later collections
    (gc.freeze), for what lives as long as the work (a loaded catalogue, what its pages share):
    each collection would look at all of it again, the first after the pause at once."""
    with collector_paused():
        yield
        gc.freeze()


def load_pickle(path: Path, key: str) -> Any | None:
    """What was stored under ``key``, or None (missing, stale or unreadable: the caller recomputes)."""
    try:
        with path.open("rb") as handle, collector_paused():
            stored_key, value = pickle.load(handle)
    except Exception:  # a damaged cache is a cache miss, never an error
        return None
    return value if stored_key == key else None


def store_pickle(path: Path, key: str, value: Any) -> None:
    """Pickle ``value`` under ``key`` straight into the file (a large year's pickle is never held
    whole in memory)."""
    with contextlib.suppress(OSError), collector_paused():  # the cache is an optimisation
        write_atomic_with(path, lambda handle: pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL))
