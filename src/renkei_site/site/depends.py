"""What a build must render again: the record of what each page of the last build read.

A build's inputs are of two sorts.  The *whole*: the code, the templates and static files,
the reference data and editors' tables, the records of every year, ``--base-url``, the
list of Markdown pages with their titles, and the plan (every path of the site).  Any change
there renders every page again: the record cannot vouch for what a page made of them.  And the
*atoms* (reads.py): each note and each Markdown page's text, which the code that reads them
names while a page renders.  The record, kept beside the build cache, holds for the live
generation the digest of the whole, the digest of every atom, and the atoms each page read;
when the whole is the same, the pages to render again are those that read an atom whose
digest changed (a note edited, added or removed).  Every other page is the live site's file,
kept (site/write.py ``SiteWriter.keep``).  tests/test_incremental.py holds an incremental build
to a fresh full build, byte for byte, over random edits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import cache
from .plan import Page

RECORD = "reads.pickle"
FORMAT = "1"
FOLLOWED = ("notes", "pages")  # folders of data/ whose files are atoms, not part of the whole


@dataclass(frozen=True)
class Record:
    """What the build of one generation read."""

    generation: str  # the generation (site/write.py) whose pages these are
    whole: str  # the digest of the whole (whole_digest)
    atoms: dict[str, str]  # atom -> digest of its text, for every note and page that exists
    reads: dict[str, tuple[str, ...]]  # page path -> the atoms it read (pages that read none: absent)


def followed(path: Path, data_dir: Path) -> bool:
    """A file of data/ read atom by atom (a note, a Markdown page)."""
    parts = path.relative_to(data_dir).parts
    return len(parts) > 1 and parts[0] in FOLLOWED


def whole_digest(files: str, page_index: Iterable[tuple[str, str]], plan: Iterable[Page]) -> str:
    """The whole: ``files`` (the fingerprint of every input file but the atoms', with the code
    and --base-url), the pages' names and titles, and every path of the plan with its kind."""
    digest = hashlib.sha256(f"{FORMAT}\0{files}\0".encode())
    for name, title in page_index:
        digest.update(f"{name}\0{title}\0".encode())
    for page in plan:
        digest.update(f"{page.path}\0{page.kind}\0".encode())
    return digest.hexdigest()


def changed_atoms(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The atoms edited, added or removed."""
    return {atom for atom in before.keys() | now.keys() if before.get(atom) != now.get(atom)}


def to_render(record: Record | None, live: str | None, whole: str, atoms: dict[str, str]) -> set[str] | None:
    """The paths to render again, or None: every page (no record of the live generation, or
    the whole changed)."""
    if record is None or live is None or record.generation != live or record.whole != whole:
        return None
    changed = changed_atoms(record.atoms, atoms)
    return {path for path, read in record.reads.items() if not changed.isdisjoint(read)}


def load(store: Path) -> Record | None:
    value = cache.load_pickle(store / RECORD, FORMAT)
    return value if isinstance(value, Record) else None


def save(store: Path, record: Record) -> None:
    """Keep the record (a cache: without it the next build renders every page)."""
    cache.store_pickle(store / RECORD, FORMAT, record)
