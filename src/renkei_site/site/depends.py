"""What a build must render again: the record of what each page of the last build read.

A build's inputs are of two sorts.  The *whole*: the code, the templates and static files,
the reference data and editors' tables, ``--base-url``, the list of Markdown pages with their
titles, the plan (every path of the site), every year's head and every project's fields that
decide where it is listed and how it is counted (its year, No., bureau, field, status, name,
readings and mentions), and what changed between years.  Any change there renders every page
again: the record cannot vouch for what a page made of them.  And the *atoms* (reads.py):
each note, each Markdown page's text and each project's wording (records.py ``FOLLOWED``),
which are recorded as read while a page renders.  The record, kept beside the build cache, holds for the live
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

from .. import cache, reads
from ..records import FOLLOWED, PROJECT_FIELDS, Year
from .plan import Page

RECORD = "reads.pickle"
DIGESTS = ".digests.pickle"  # data/.cache/<year>.digests.pickle
FORMAT = "1"
FOLDERS = ("notes", "pages")  # folders of data/ whose files are atoms, not part of the whole
RECORDS = "projects.yaml"  # data/<year>/projects.yaml: the whole takes its structure, not its bytes


@dataclass(frozen=True)
class Record:
    """What the build of one generation read."""

    generation: str  # the generation (site/write.py) whose pages these are
    whole: str  # the digest of the whole (whole_digest)
    atoms: dict[str, str]  # atom -> digest of its text, for every note and page that exists
    reads: dict[str, tuple[str, ...]]  # page path -> the atoms it read (pages that read none: absent)


def followed(path: Path, data_dir: Path) -> bool:
    """A file of data/ the whole does not take as bytes: a note, a Markdown page, a year's records."""
    parts = path.relative_to(data_dir).parts
    return len(parts) > 1 and (parts[0] in FOLDERS or (parts[0].isdigit() and parts[1:] == (RECORDS,)))


STRUCTURE = tuple(name for name in PROJECT_FIELDS if name not in FOLLOWED)


def whole_digest(
    files: str, page_index: Iterable[tuple[str, str]], plan: Iterable[Page], cat, years: dict[int, YearDigests]
) -> str:
    """The whole: ``files`` (the fingerprint of every input file but those ``followed``, with
    the code and --base-url), the pages' names and titles, every path of the plan with its
    kind, the years' heads and their projects' structure (``years``: year_digests), and the
    changes between years."""
    digest = hashlib.sha256(f"{FORMAT}\0{files}\0".encode())
    for name, title in page_index:
        digest.update(f"{name}\0{title}\0".encode())
    for page in plan:
        digest.update(f"{page.path}\0{page.kind}\0".encode())
    for year in cat.years:
        digest.update(
            repr((year.fiscal_year, year.as_of, year.title, year.source)).encode()
        )  # not .path: where it was read
        digest.update(years[year.fiscal_year].structure.encode())
    for fiscal_year, diff in sorted(cat.diffs.items()):
        digest.update(repr(_diff_shape(fiscal_year, diff)).encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class YearDigests:
    """What the record takes of one year's projects: their structure, and each one's wording."""

    structure: str
    atoms: dict[str, str]  # project atom -> digest of its wording


def year_digests(years: list[Year], keys: dict[int, str], folder: Path) -> dict[int, YearDigests]:
    """Each year's digests, kept in ``folder`` (data/.cache/, beside the year's records, whose
    cache they follow) under ``keys`` (fiscal year -> a digest of what they are made from: the
    records file's bytes and the code); made for a year whose key is not the kept one (10,000
    projects take about half a second)."""
    digests = {}
    for year in years:
        key = keys.get(year.fiscal_year, "")
        path = folder / f"{year.fiscal_year}{DIGESTS}"
        known = cache.load_pickle(path, key) if key else None
        if not isinstance(known, YearDigests):
            known = _year_digests(year)
            if key:
                cache.store_pickle(path, key, known)
        digests[year.fiscal_year] = known
    return digests


def _year_digests(year: Year) -> YearDigests:
    structure = hashlib.sha256()
    atoms = {}
    for project in year.projects:
        structure.update(repr(tuple(getattr(project, name) for name in STRUCTURE)).encode())
        wording = repr(tuple(getattr(project, name) for name in FOLLOWED))
        atoms[reads.project_atom(project.key)] = hashlib.sha256(wording.encode("utf-8")).hexdigest()
    return YearDigests(structure.hexdigest(), atoms)


def _diff_shape(fiscal_year: int, diff) -> tuple:
    """What a diff says, projects by their keys (what changed in their wording is in details)."""
    return (
        fiscal_year,
        [p.key for p in diff.added],
        [p.key for p in diff.removed],
        [(c.old.key, c.new.key, repr(c.details)) for c in diff.changed],
        diff.unchanged,
        diff.bureaus_renamed,
    )


def atoms_now(notes, years: dict[int, YearDigests]) -> dict[str, str]:
    """The digest of every atom as the inputs are now: notes, pages' texts, projects' wording."""
    atoms = notes.atoms()
    for digests in years.values():
        atoms.update(digests.atoms)
    return atoms


def part_key(whole: str, atoms: dict[str, str]) -> str:
    """What the parts of big files (site/parts.py) may depend on: the whole and every
    project's wording (every atom but the notes and the pages' texts)."""
    wording = "".join(f"{atom}\0{value}\0" for atom, value in sorted(atoms.items()) if atom.startswith("project:"))
    return hashlib.sha256(f"{FORMAT}\0{whole}\0{wording}".encode()).hexdigest()


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
